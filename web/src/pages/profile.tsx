import { useState } from 'react';
import { api, ApiError, type SessionRow, type User } from '../api';
import { FormError, rules, TextField, useForm } from '../forms';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { Load, useLoad } from '../ui';

function ProfileForm() {
  const session = useSession();
  const [saved, setSaved] = useState(false);
  const form = useForm({ firstName: session.user.firstName, lastName: session.user.lastName }, { firstName: rules.required, lastName: rules.required });
  return (
    <form
      noValidate
      className="panel"
      onSubmit={form.submit(async (v) => {
        setSaved(false);
        await api<{ user: User }>('PATCH', '/me', { firstName: v.firstName.trim(), lastName: v.lastName.trim() });
        await session.refresh();
        setSaved(true);
      })}
    >
      <h2>Profile</h2>
      <FormError message={form.formError} />
      <p className="muted">Email: {session.user.email}</p>
      <div className="row">
        <TextField label="First name" autoComplete="given-name" field={form.field('firstName')} />
        <TextField label="Last name" autoComplete="family-name" field={form.field('lastName')} />
      </div>
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          Save profile
        </button>
        {saved && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}

function PasswordForm() {
  const [saved, setSaved] = useState(false);
  const form = useForm(
    { currentPassword: '', newPassword: '', confirm: '' },
    { currentPassword: rules.required, newPassword: rules.password, confirm: (v, all) => (v !== all.newPassword ? 'does not match the new password' : null) },
  );
  return (
    <form
      noValidate
      className="panel"
      onSubmit={form.submit(async (v) => {
        setSaved(false);
        await api('POST', '/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
        setSaved(true);
      })}
    >
      <h2>Change password</h2>
      <FormError message={form.formError} />
      <TextField label="Current password" type="password" autoComplete="current-password" field={form.field('currentPassword')} />
      <TextField label="New password" type="password" autoComplete="new-password" hint="At least 8 characters; your other sessions end" field={form.field('newPassword')} />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" field={form.field('confirm')} />
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          Change password
        </button>
        {saved && <span role="status">Password changed.</span>}
      </div>
    </form>
  );
}

function Sessions() {
  const [state, reload] = useLoad(() => api<{ items: SessionRow[] }>('GET', '/sessions'), []);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="panel">
      <h2>Sessions</h2>
      <FormError message={error} />
      <Load state={state} retry={reload} label="your sessions">
        {({ items }) => (
          <ul className="list">
            {items.map((s) => (
              <li key={s.id} className="list-row">
                <div className="list-main">
                  <span>{s.userAgent ?? 'Unknown browser'}</span>
                  {s.current && <span className="badge badge-active">This browser</span>}
                </div>
                <p className="muted small">
                  {s.ip ?? 'unknown address'} · signed in {formatDateTime(s.createdAt)} · last seen {formatDateTime(s.lastSeenAt)}
                </p>
                {!s.current && (
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() =>
                      api('DELETE', `/sessions/${s.id}`).then(reload, (err: unknown) => setError(err instanceof ApiError ? err.message : 'Something went wrong'))
                    }
                  >
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

export function Profile() {
  return (
    <section className="narrow">
      <div className="page-head">
        <h1>Profile & security</h1>
      </div>
      <ProfileForm />
      <PasswordForm />
      <Sessions />
    </section>
  );
}
