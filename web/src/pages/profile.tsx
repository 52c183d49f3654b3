import { useState } from 'react';
import { answer, api, type Answer } from '../api';
import { FormError, rules, TextField, useForm } from '../forms';
import { Ago } from '../cells';
import { formatDateTime } from '../format';
import { SavingForm } from '../saving-form';
import { useSession } from '../session';
import { ConfirmDialog, CopyButton, Load, useListAction, useLoad } from '../ui';

function ProfileForm() {
  const session = useSession();
  const form = useForm({ firstName: session.user.firstName, lastName: session.user.lastName }, { firstName: rules.required, lastName: rules.required }, { draft: 'profile' });
  return (
    <SavingForm
      form={form}
      className="panel"
      title="Profile"
      label="Save profile"
      onSave={async (v) => {
        await answer(api.PATCH('/api/v1/me', { body: { firstName: v.firstName.trim(), lastName: v.lastName.trim() } }));
        await session.refresh();
      }}
    >
      <p className="muted">Email: {session.user.email}</p>
      <div className="row">
        <TextField label="First name" autoComplete="given-name" field={form.field('firstName')} />
        <TextField label="Last name" autoComplete="family-name" field={form.field('lastName')} />
      </div>
    </SavingForm>
  );
}

function PasswordForm() {
  const form = useForm(
    { currentPassword: '', newPassword: '', confirm: '' },
    { currentPassword: rules.required, newPassword: rules.password, confirm: (v, all) => (v !== all.newPassword ? 'does not match the new password' : null) },
    { draft: null },
  );
  return (
    <SavingForm
      form={form}
      className="panel"
      title="Change password"
      label="Change password"
      note="Password changed."
      onSave={async (v) => {
        await answer(api.POST('/api/v1/me/password', { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }));
      }}
    >
      <TextField label="Current password" type="password" autoComplete="current-password" field={form.field('currentPassword')} />
      <TextField label="New password" type="password" autoComplete="new-password" hint="At least 8 characters; your other sessions end" field={form.field('newPassword')} />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" field={form.field('confirm')} />
    </SavingForm>
  );
}

function Sessions() {
  const [state, reload] = useLoad(() => answer(api.GET('/api/v1/sessions')), []);
  const signOut = useListAction(reload);
  return (
    <div className="panel">
      <h2 id="sessions-title">Sessions</h2>
      <FormError message={signOut.error} />
      <Load state={state} retry={reload} label="your sessions">
        {({ items }) => (
          <ul className="list" aria-labelledby="sessions-title">
            {items.map((s) => (
              <li key={s.id} className="list-row">
                <div className="list-main">
                  <span>{s.device ?? 'Unknown browser'}</span>
                  {s.current && <span className="badge badge-active">This device</span>}
                </div>
                <p className="muted small">
                  {s.ip ?? 'Unknown address'} · {s.current ? 'in use now' : <>last used <Ago at={s.lastSeenAt} /></>} · signed in {formatDateTime(s.createdAt)}
                </p>
                {!s.current && (
                  <button type="button" className="button secondary small" onClick={() => signOut.run(() => answer(api.DELETE('/api/v1/sessions/{sessionId}', { params: { path: { sessionId: s.id } } })))}>
                    Sign out this session
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Load>
    </div>
  );
}

type ApiToken = Answer<'get', '/api/v1/me/api-tokens'>['items'][number];

/** A fresh form after each token, so the emptied name is not flagged. */
function CreateToken({ onCreated }: { onCreated(token: { name: string; token: string }): void }) {
  const form = useForm({ name: '' }, { name: (v) => rules.required(v) ?? (v.trim().length > 100 ? 'must be at most 100 characters' : null) }, { draft: 'api-token' });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ name }) => {
        const t = await answer(api.POST('/api/v1/me/api-tokens', { body: { name: name.trim() } }));
        onCreated({ name: t.name, token: t.token });
      })}
    >
      <FormError message={form.formError} />
      <div className="row row-action">
        <TextField label="Token name" hint="Where you will use it, for example “Nightly export”" field={form.field('name')} />
        <button className="button primary" disabled={form.submitting}>
          Create token
        </button>
      </div>
    </form>
  );
}

/** Tokens for integrations and the CLI: the secret is shown once, right after it is made. */
function ApiTokens() {
  const [state, reload] = useLoad(() => answer(api.GET('/api/v1/me/api-tokens')), []);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  return (
    <div className="panel">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">For scripts and the keyline command line: a token acts as you, in every account you belong to. Send it as <code>Authorization: Bearer …</code>.</p>
      <CreateToken
        key={generation}
        onCreated={(t) => {
          setNotice(null);
          setCreated(t);
          setGeneration((g) => g + 1);
          reload();
        }}
      />
      {created && (
        <div className="notice token-once" role="status">
          <p>
            Copy the token <strong>{created.name}</strong> now; it is not shown again:
          </p>
          <code className="token" aria-label="New API token">
            {created.token}
          </code>
          <CopyButton text={created.token} label="Copy the token" />
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Load state={state} retry={reload} label="your API tokens">
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">You have no API tokens.</p>
          ) : (
            <ul className="list" aria-labelledby="tokens-title">
              {items.map((t) => (
                <li key={t.id} className="list-row">
                  <div className="list-main">
                    <span>{t.name}</span>
                    <button type="button" className="button link danger-text" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                      Revoke
                    </button>
                  </div>
                  <p className="muted small">
                    created {formatDateTime(t.createdAt)} · {t.lastUsedAt ? (
                      <>
                        last used <Ago at={t.lastUsedAt} />
                      </>
                    ) : (
                      'never used'
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Load>
      {revoking && (
        <ConfirmDialog
          title="Revoke API token"
          action="Revoke token"
          onCancel={() => setRevoking(null)}
          onConfirm={async () => {
            await answer(api.DELETE('/api/v1/me/api-tokens/{tokenId}', { params: { path: { tokenId: revoking.id } } }));
            setRevoking(null);
            setCreated(null);
            setNotice(`${revoking.name} was revoked.`);
            reload();
          }}
        >
          <p>
            Revoke <strong>{revoking.name}</strong>? Scripts using it stop working at once.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function Profile() {
  return (
    <section className="narrow">
      <div className="page-head">
        <h1>Profile & security</h1>
      </div>
      <ProfileForm />
      <PasswordForm />
      <Sessions />
      <ApiTokens />
    </section>
  );
}
