import { useState } from 'react';
import { answer, api, errorMessage, type Answer, type RequestBody } from '../api';
import { FormError, rules, TextField, useForm } from '../forms';
import { formatDate } from '../format';
import { navigate } from '../router';
import { useSessionState, useSignedIn } from '../session';
import { Load, useLoad } from '../ui';
import { AuthCard } from './auth';

const ACCOUNT_KEY = 'keyline.account';

/** The page of an invitation link: join the business account, as the existing user or a new one. */
export function Join() {
  const token = new URL(location.href).searchParams.get('token') ?? '';
  const session = useSessionState();
  const signedIn = useSignedIn();
  const [preview, retry] = useLoad(() => answer(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })), [token]);
  const [error, setError] = useState<string | null>(null);
  const mode = session.status === 'signed-in' ? 'signed-in' : preview.status === 'ready' && preview.data.existingUser ? 'existing' : 'new';
  const form = useForm(
    { firstName: '', lastName: '', password: '', confirm: '' },
    {
      firstName: (v) => (mode === 'new' ? rules.required(v) : null),
      lastName: (v) => (mode === 'new' ? rules.required(v) : null),
      password: (v) => (mode === 'new' ? rules.password(v) : mode === 'existing' ? rules.required(v) : null),
      confirm: (v, all) => (mode === 'new' && v !== all.password ? 'does not match the password' : null),
    },
    { draft: 'join', secret: ['password', 'confirm'] },
  );

  /** Joined: the portal opens on the account just joined. */
  const joined = async (accepted: Answer<'post', '/api/v1/invitations/{token}/accept'>) => {
    localStorage.setItem(ACCOUNT_KEY, accepted.accountId);
    if (accepted.csrfToken) await signedIn(accepted.csrfToken);
    else if (session.status === 'signed-in') {
      await session.session.refresh();
      session.session.selectAccount(accepted.accountId);
    }
    navigate('/', true);
  };
  const accept = (body: RequestBody<'post', '/api/v1/invitations/{token}/accept'>) => answer(api.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } }, body }));

  return (
    <AuthCard title="Join a business account">
      <Load state={preview} retry={retry} label="the invitation">
        {(p) => {
          return (
            <>
              <p>
                You are invited to join <strong>{p.accountName}</strong> as {p.role === 'admin' ? 'an Account Administrator' : 'a Regular Member'}, with <strong>{p.email}</strong>. The invitation expires on {formatDate(p.expiresAt)}.
              </p>
              {mode === 'signed-in' ? (
                <>
                  <FormError message={error} />
                  <button
                    type="button"
                    className="button primary wide"
                    onClick={async () => {
                      setError(null);
                      try {
                        await joined(await accept({}));
                      } catch (err) {
                        setError(errorMessage(err));
                      }
                    }}
                  >
                    Join {p.accountName}
                  </button>
                </>
              ) : (
                <form
                  noValidate
                  onSubmit={form.submit(async (v) => {
                    await joined(await accept(mode === 'new' ? { firstName: v.firstName.trim(), lastName: v.lastName.trim(), password: v.password } : { password: v.password }));
                  })}
                >
                  <FormError message={form.formError} />
                  {mode === 'new' ? (
                    <>
                      <div className="row">
                        <TextField label="First name" autoComplete="given-name" field={form.field('firstName')} />
                        <TextField label="Last name" autoComplete="family-name" field={form.field('lastName')} />
                      </div>
                      <TextField label="Password" type="password" autoComplete="new-password" hint="At least 8 characters" field={form.field('password')} />
                      <TextField label="Repeat password" type="password" autoComplete="new-password" field={form.field('confirm')} />
                    </>
                  ) : (
                    <TextField label="Your password" type="password" autoComplete="current-password" hint={`The password of ${p.email}`} field={form.field('password')} />
                  )}
                  <button className="button primary wide" disabled={form.submitting}>
                    {mode === 'new' ? 'Create user and join' : 'Join'}
                  </button>
                </form>
              )}
            </>
          );
        }}
      </Load>
    </AuthCard>
  );
}
