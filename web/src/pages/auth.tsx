import { useEffect, useState, type ReactNode } from 'react';
import { answer, api, ApiError } from '../api';
import { FormError, rules, TextField, useForm } from '../forms';
import { Link, navigate } from '../router';
import { useSessionState, useSignedIn } from '../session';

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <p className="brand brand-large">Keyline My Account</p>
        <h1>{title}</h1>
        {children}
        {footer && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}

/** Only paths of this portal may be a destination after sign-in, never another site. */
function nextPath(): string {
  const next = new URL(location.href).searchParams.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The sign-in page with the address filled in, from a page that knows whose account it is. */
const signInAs = (email: string) => `/signin?email=${encodeURIComponent(email)}`;

export function SignIn() {
  const signedIn = useSignedIn();
  // An address in the link (from a confirmation or a reset) wins over an old draft.
  const given = new URL(location.href).searchParams.get('email');
  const form = useForm({ email: given ?? '', password: '' }, { email: rules.email, password: rules.required }, { draft: given === null ? 'sign-in' : null, secret: ['password'] });
  return (
    <AuthCard
      title="Sign in"
      footer={
        <p>
          New here? <Link href="/signup">Create an account</Link>
        </p>
      }
    >
      <form
        noValidate
        onSubmit={form.submit(async (v) => {
          const { csrfToken } = await answer(api.POST('/api/v1/sessions', { body: { email: v.email.trim(), password: v.password } }));
          await signedIn(csrfToken);
          navigate(nextPath(), true);
        })}
      >
        <FormError message={form.formError} />
        <TextField label="Email" type="email" autoComplete="username" field={form.field('email')} />
        <TextField label="Password" type="password" autoComplete="current-password" field={form.field('password')} />
        <p className="form-aside">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
        <button className="button primary wide" disabled={form.submitting}>
          {form.submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}

export function SignUp() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm(
    { firstName: '', lastName: '', email: '', password: '', confirm: '' },
    {
      firstName: rules.required,
      lastName: rules.required,
      email: rules.email,
      password: rules.password,
      confirm: (v, all) => (v !== all.password ? 'does not match the password' : null),
    },
    { draft: 'sign-up', secret: ['password', 'confirm'] },
  );
  if (sentTo) {
    return (
      <AuthCard title="Check your email" footer={<Link href={signInAs(sentTo)}>Go to sign in</Link>}>
        <p>
          We sent a confirmation link to <strong>{sentTo}</strong>. Open it to confirm your address; you can sign in meanwhile.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your account"
      footer={
        <p>
          Already have an account? <Link href="/signin">Sign in</Link>
        </p>
      }
    >
      <form
        noValidate
        onSubmit={form.submit(async (v) => {
          await answer(api.POST('/api/v1/signup', { body: { firstName: v.firstName.trim(), lastName: v.lastName.trim(), email: v.email.trim(), password: v.password } }));
          setSentTo(v.email.trim());
        })}
      >
        <FormError message={form.formError} />
        <div className="row">
          <TextField label="First name" autoComplete="given-name" field={form.field('firstName')} />
          <TextField label="Last name" autoComplete="family-name" field={form.field('lastName')} />
        </div>
        <TextField label="Email" type="email" autoComplete="email" field={form.field('email')} />
        <TextField label="Password" type="password" autoComplete="new-password" hint="At least 8 characters" field={form.field('password')} />
        <TextField label="Repeat password" type="password" autoComplete="new-password" field={form.field('confirm')} />
        <button className="button primary wide" disabled={form.submitting}>
          {form.submitting ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}

export function ForgotPassword() {
  const [sent, setSent] = useState(false);
  const form = useForm({ email: '' }, { email: rules.email }, { draft: 'forgot-password' });
  return (
    <AuthCard title="Reset your password" footer={<Link href="/signin">Back to sign in</Link>}>
      {sent ? (
        <p role="status">If an account uses this address, an email with a link to set a new password is on its way. The link works once.</p>
      ) : (
        <form
          noValidate
          onSubmit={form.submit(async (v) => {
            await answer(api.POST('/api/v1/password-resets', { body: { email: v.email.trim() } }));
            setSent(true);
          })}
        >
          <p>Enter the email address of your account and we will send you a link to set a new password.</p>
          <FormError message={form.formError} />
          <TextField label="Email" type="email" autoComplete="email" field={form.field('email')} />
          <button className="button primary wide" disabled={form.submitting}>
            Send the link
          </button>
        </form>
      )}
    </AuthCard>
  );
}

export function ResetPassword() {
  const token = new URL(location.href).searchParams.get('token') ?? '';
  const [done, setDone] = useState<{ email: string } | null>(null);
  const form = useForm(
    { password: '', confirm: '' },
    { password: rules.password, confirm: (v, all) => (v !== all.password ? 'does not match the password' : null) },
    { draft: null },
  );
  if (done) {
    return (
      <AuthCard title="Password changed" footer={<Link href={signInAs(done.email)}>Sign in</Link>}>
        <p role="status">Your new password is set, and every session of your account has ended. Sign in with the new password.</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set a new password" footer={<Link href="/forgot-password">Ask for a new link</Link>}>
      {token ? (
        <form
          noValidate
          onSubmit={form.submit(async (v) => {
            setDone(await answer(api.POST('/api/v1/password-resets/confirm', { body: { token, password: v.password } })));
          })}
        >
          <FormError message={form.formError} />
          <TextField label="New password" type="password" autoComplete="new-password" hint="At least 8 characters" field={form.field('password')} />
          <TextField label="Repeat new password" type="password" autoComplete="new-password" field={form.field('confirm')} />
          <button className="button primary wide" disabled={form.submitting}>
            Set password
          </button>
        </form>
      ) : (
        <p className="form-error">This link has no reset token. Open the link from the email again, or ask for a new one.</p>
      )}
    </AuthCard>
  );
}

// A token works once: a second mount of the page (React's development double effects) reuses the first answer.
const confirmations = new Map<string, Promise<{ email: string }>>();

export function VerifyEmail() {
  const session = useSessionState();
  const signedIn = session.status === 'signed-in';
  const [state, setState] = useState<{ status: 'working' } | { status: 'done'; email: string } | { status: 'failed'; message: string }>({ status: 'working' });
  useEffect(() => {
    const token = new URL(location.href).searchParams.get('token') ?? '';
    if (!confirmations.has(token)) confirmations.set(token, answer(api.POST('/api/v1/email-verification', { body: { token } })));
    confirmations.get(token)!.then(
      ({ email }) => {
        setState({ status: 'done', email });
        // The banner asking to confirm the address goes away.
        if (session.status === 'signed-in') void session.session.refresh();
      },
      (err: unknown) => setState({ status: 'failed', message: err instanceof ApiError ? err.message : 'Something went wrong' }),
    );
    // A link confirms once, on arrival: a later change of session must not send it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const onward = signedIn ? <Link href="/">Go to the dashboard</Link> : <Link href={state.status === 'done' ? signInAs(state.email) : '/signin'}>Sign in</Link>;
  return (
    <AuthCard title="Email confirmation" footer={state.status === 'working' ? undefined : onward}>
      {state.status === 'working' && <p role="status">Confirming your email address…</p>}
      {state.status === 'done' && <p role="status">Thank you: your email address is confirmed.</p>}
      <FormError message={state.status === 'failed' ? state.message : null} />
    </AuthCard>
  );
}
