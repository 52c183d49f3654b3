import { useState } from 'react';
import { answer, api, errorMessage, type LicenseKeyRow, type Schemas } from '../api';
import { FormError, rules, SelectField, useForm } from '../forms';
import { formatDate, personName } from '../format';
import { CloseActions, Empty, Load, useLoad } from '../ui';
import { endSentence } from '../../../src/domain/sentence';

// The License Administrators of one key (capability 2): Regular Members who manage only the keys granted to them.

type Member = Schemas['Member'];
/** The path of the key whose administrators these are. */
type KeyPath = { accountId: string; subscriptionId: string; keyId: string };


async function loadAdmins(key: KeyPath) {
  const [admins, members] = await Promise.all([
    answer(api.GET('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}/admins', { params: { path: key } })),
    answer(api.GET('/api/v1/accounts/{accountId}/members', { params: { path: { accountId: key.accountId }, query: { role: 'member', status: 'active', limit: 200 } } })),
  ]);
  const granted = new Set(admins.items.map((a) => a.userId));
  return { admins: admins.items, candidates: members.items.filter((m) => !granted.has(m.userId)) };
}

function GrantForm({ keyPath, candidates, onGranted }: { keyPath: KeyPath; candidates: Member[]; onGranted(member: Member): void }) {
  const form = useForm({ userId: '' }, { userId: (v) => rules.required(v) && 'Choose a member' }, { draft: `key-admins:${keyPath.keyId}` });
  return (
    <form
      noValidate
      className="grant-form"
      onSubmit={form.submit(async ({ userId }) => {
        await answer(api.PUT('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}/admins/{userId}', { params: { path: { ...keyPath, userId } } }));
        onGranted(candidates.find((m) => m.userId === userId)!);
      })}
    >
      <FormError message={form.formError} />
      <SelectField label="Regular Member" hint="Account Administrators already manage every key" field={form.field('userId')}>
        <option value="">Choose a member…</option>
        {candidates.map((m) => (
          <option key={m.userId} value={m.userId}>
            {personName(m)} ({m.email})
          </option>
        ))}
      </SelectField>
      <button className="button primary" disabled={form.submitting}>
        Make License Administrator
      </button>
    </form>
  );
}

export function KeyAdmins({ accountId, subscriptionId, keyRow, onClose }: { accountId: string; subscriptionId: string; keyRow: LicenseKeyRow; onClose(): void }) {
  const keyPath = { accountId, subscriptionId, keyId: keyRow.id };
  const [state, reload] = useLoad(() => loadAdmins(keyPath), [accountId, subscriptionId, keyRow.id]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setError(null);
    setNotice(message);
    reload();
  };
  return (
    <>
      <p className="muted">License Administrators see this key, its installations and invitations, and manage them; nothing else of the account.</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <FormError message={error} />
      <Load state={state} retry={reload} label="the License Administrators">
        {({ admins, candidates }) => (
          <>
            {admins.length === 0 ? (
              <Empty>
                <p>No License Administrators yet.</p>
              </Empty>
            ) : (
              <ul className="list" aria-label="License Administrators">
                {admins.map((a) => (
                  <li key={a.userId} className="list-row">
                    <div className="list-main">
                      <span>
                        {personName(a)} <span className="muted">{a.email}</span>
                      </span>
                      <button
                        type="button"
                        className="button link danger-text"
                        aria-label={`Remove ${personName(a)}`}
                        onClick={() =>
                          answer(api.DELETE('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}/admins/{userId}', { params: { path: { ...keyPath, userId: a.userId } } })).then(
                            () => done(endSentence(`${personName(a)} no longer manages ${keyRow.name}`)),
                            (err: unknown) => setError(errorMessage(err)),
                          )
                        }
                      >
                        Remove
                      </button>
                    </div>
                    <p className="muted small">since {formatDate(a.grantedAt)}</p>
                  </li>
                ))}
              </ul>
            )}
            {candidates.length === 0 ? (
              <p className="muted">Every Regular Member of the account already manages this key; invite more users from the Users page.</p>
            ) : (
              <GrantForm key={admins.length} keyPath={keyPath} candidates={candidates} onGranted={(m) => done(endSentence(`${personName(m)} now manages ${keyRow.name}`))} />
            )}
          </>
        )}
      </Load>
      <CloseActions onClose={onClose} />
    </>
  );
}
