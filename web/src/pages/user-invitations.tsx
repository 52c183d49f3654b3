import { useState } from 'react';
import { accountPath, api, apiCsv, errorMessage } from '../api';
import { emailSourceRule, EmailSourceField, LANGUAGES, type EmailSource } from '../email-list';
import { FormError, SelectField, TextAreaField, TextField, useForm } from '../forms';
import { formatDate } from '../format';
import { Dialog, Load, useLoad } from '../ui';

interface Invitation {
  id: string;
  email: string;
  role: 'admin' | 'member';
  state: 'pending' | 'accepted' | 'expired' | 'revoked';
  expiresAt: string;
  invitedBy: string | null;
  sentCount: number;
  lastSentAt: string;
}

interface Invited {
  invited: Invitation[];
  skipped: { email: string; reason: 'already_member' | 'already_invited' | 'duplicate' }[];
  rejectedRows?: { line: number; value: string; message: string }[];
}

const SKIP_REASONS = { already_member: 'already a member', already_invited: 'already invited', duplicate: 'listed twice' } as const;
const ROLE_LABELS = { admin: 'Account Administrator', member: 'Regular Member' } as const;
const daysRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 || Number(v) > 90 ? 'must be between 1 and 90 days' : null);

/** Invite people to join the business account: typed addresses or a CSV file, a role, a language and a lifetime. */
export function InviteMembers({ accountId, onInvited }: { accountId: string; onInvited(): void }) {
  const [source, setSource] = useState<EmailSource>({ kind: 'typed', emails: [] });
  const [sourceTouched, setSourceTouched] = useState(false);
  const [result, setResult] = useState<Invited | null>(null);
  const form = useForm({ role: 'member', language: 'en', expiresInDays: '14' }, { expiresInDays: daysRule }, { draft: `invite-members:${accountId}` });
  const base = `${accountPath(accountId)}/invitations`;
  return (
    <details className="panel invite-panel">
      <summary>
        <h2>Invite members</h2>
      </summary>
      <form
        noValidate
        onSubmit={(e) => {
          setSourceTouched(true);
          if (emailSourceRule(source)) {
            e.preventDefault();
            return;
          }
          return form.submit(async (v) => {
            setResult(null);
            const options = { role: v.role, language: v.language, expiresInDays: v.expiresInDays };
            const answer =
              source.kind === 'file'
                ? await apiCsv<Invited>(`${base}/csv?${new URLSearchParams(options)}`, source.csv)
                : await api<Invited>('POST', base, { ...options, expiresInDays: Number(v.expiresInDays), emails: source.emails });
            setResult(answer);
            onInvited();
          })(e);
        }}
      >
        <FormError message={form.formError} />
        <EmailSourceField value={source} onChange={setSource} error={sourceTouched ? emailSourceRule(source) : null} />
        <div className="row">
          <SelectField label="Role" field={form.field('role')}>
            <option value="member">Regular Member</option>
            <option value="admin">Account Administrator</option>
          </SelectField>
          <SelectField label="Email language" field={form.field('language')}>
            {LANGUAGES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
          <TextField label="Link valid for (days)" type="number" inputMode="numeric" min={1} max={90} field={form.field('expiresInDays')} />
        </div>
        <div className="form-actions">
          <button className="button primary" disabled={form.submitting}>
            Send invitations
          </button>
        </div>
      </form>
      {result && (
        <div className="results" role="status" aria-label="Invitations sent">
          <strong>
            {result.invited.length} invited{result.skipped.length ? `, ${result.skipped.length} skipped` : ''}
            {result.rejectedRows?.length ? `, ${result.rejectedRows.length} rejected` : ''}.
          </strong>
          <ul>
            {result.invited.map((i) => (
              <li key={i.id}>{i.email}: invited</li>
            ))}
            {result.skipped.map((s) => (
              <li key={s.email}>
                {s.email}: {SKIP_REASONS[s.reason]}
              </li>
            ))}
            {result.rejectedRows?.map((r) => (
              <li key={r.line} className="danger-text">
                Line {r.line} “{r.value}”: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

/** The invitations nobody answered yet: send again or revoke. */
export function OpenInvitations({ accountId, version }: { accountId: string; version: number }) {
  const base = `${accountPath(accountId)}/invitations`;
  const [state, reload] = useLoad(() => api<{ items: Invitation[] }>('GET', `${base}?state=pending&limit=100`), [base, version]);
  const [error, setError] = useState<string | null>(null);
  const act = (method: 'POST' | 'DELETE', path: string) => async () => {
    setError(null);
    try {
      await api(method, `${base}/${path}`);
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <>
      <h2 id="open-invitations-title">Open invitations</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <Load state={state} retry={reload} label="the invitations">
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">No invitation is waiting for an answer.</p>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="open-invitations-title">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Sent</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id}>
                      <td className="wrap">{i.email}</td>
                      <td>{ROLE_LABELS[i.role]}</td>
                      <td>{formatDate(i.expiresAt)}</td>
                      <td>
                        {formatDate(i.lastSentAt)}
                        {i.sentCount > 1 && <span className="muted small"> ({i.sentCount} times)</span>}
                        {i.invitedBy && <div className="muted small">by {i.invitedBy}</div>}
                      </td>
                      <td className="actions">
                        <button type="button" className="button link" aria-label={`Send the invitation of ${i.email} again`} onClick={act('POST', `${i.id}/resend`)}>
                          Send again
                        </button>
                        <button type="button" className="button link danger-text" aria-label={`Revoke the invitation of ${i.email}`} onClick={act('DELETE', i.id)}>
                          Revoke
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Load>
    </>
  );
}

/** Notes on a member, seen only by the account's administrators. */
export function MemberNotes({ accountId, member, onClose, onSaved }: { accountId: string; member: { userId: string; email: string; notes: string }; onClose(): void; onSaved(): void }) {
  return (
    <Dialog title={`Notes on ${member.email}`} onClose={onClose}>
      <MemberNotesForm accountId={accountId} member={member} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

/** Inside the dialog, so that the draft lasts until the dialog closes. */
function MemberNotesForm({ accountId, member, onClose, onSaved }: { accountId: string; member: { userId: string; notes: string }; onClose(): void; onSaved(): void }) {
  const form = useForm({ notes: member.notes }, { notes: (v) => (v.length > 2000 ? 'must be at most 2000 characters' : null) }, { draft: `member-notes:${member.userId}` });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ notes }) => {
        await api('PATCH', `${accountPath(accountId)}/members/${member.userId}`, { notes });
        onSaved();
      })}
    >
      <FormError message={form.formError} />
      <TextAreaField label="Notes" rows={4} hint="Only administrators see them." field={form.field('notes')} />
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onClose}>
          Cancel
        </button>
        <button className="button primary" disabled={form.submitting}>
          Save notes
        </button>
      </div>
    </form>
  );
}
