import { Fragment, useEffect, useId, useState, type ReactNode } from 'react';
import { mayOpen, otherAccountNamed } from './access';
import { answer, api } from './api';
import { POLICIES_FEATURE, USER_GROUPS_FEATURE } from './management-data';
import { Link, navigate } from './router';
import { can, useSession } from './session';
import { CONFIGURATION_PROFILES_FEATURE } from '../../src/domain/default-profile';
import { VM_INVENTORY_FEATURE } from '../../src/domain/virtual-machine-columns';

// The switcher shows an account by its name alone, so the top bar keeps to one line; the list groups the names by kind.
const ACCOUNT_GROUPS = [
  { kind: 'personal', label: 'Personal account' },
  { kind: 'business', label: 'Business accounts' },
] as const;

/**
 * The pages of the Management heading (the account's management of its installations), each shown
 * for accounts holding a product with its catalog feature; the heading shows when one of them does.
 */
const MANAGEMENT: { href: string; label: string; feature: string }[] = [
  { href: '/configuration-profiles', label: 'Configuration Profiles', feature: CONFIGURATION_PROFILES_FEATURE },
  { href: '/policies', label: 'Policies', feature: POLICIES_FEATURE },
  { href: '/user-groups', label: 'User Groups', feature: USER_GROUPS_FEATURE },
  { href: '/virtual-machines', label: 'Virtual Machines', feature: VM_INVENTORY_FEATURE },
];

interface NavEntry {
  href: string;
  label: string;
  current: boolean;
}

/** A heading of the main menu whose pages open under it; it closes on the way to one, and with Escape. */
function NavGroup({ label, entries, path }: { label: string; entries: NavEntry[]; path: string }) {
  // Open on the page it was opened on: following one of its links closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === path;
  const setOpen = (next: boolean) => setOpenOn(next ? path : null);
  const id = useId();
  const current = entries.some((e) => e.current);
  return (
    <li
      className="nav-group"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          e.currentTarget.querySelector('button')?.focus();
        }
      }}
    >
      <button type="button" className={current ? 'nav-heading current' : 'nav-heading'} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}
        <span aria-hidden="true">{open ? ' ▴' : ' ▾'}</span>
      </button>
      <ul id={id} hidden={!open}>
        {entries.map((n) => (
          <li key={n.href}>
            <Link href={n.href} aria-current={n.current ? 'page' : undefined}>
              {n.label}
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}

function VerifyBanner() {
  const [sent, setSent] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  return (
    <div className="banner" role="status">
      <span>Please confirm your email address with the link we emailed you.</span>
      {sent === 'sent' ? (
        <span>A new link is on its way.</span>
      ) : (
        <button
          type="button"
          className="button link"
          disabled={sent === 'sending'}
          onClick={() => {
            setSent('sending');
            answer(api.POST('/api/v1/email-verification/resend')).then(
              () => setSent('sent'),
              () => setSent('failed'),
            );
          }}
        >
          {sent === 'failed' ? 'Could not send; try again' : 'Send the link again'}
        </button>
      )}
    </div>
  );
}

export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const session = useSession();
  const { account, accounts, user } = session;
  // Roles and blocks change at once on the server: each navigation asks again who we are here.
  const { refresh, selectAccount } = session;
  useEffect(() => {
    refresh().catch(() => undefined);
  }, [path, refresh]);
  const switchTo = otherAccountNamed(path, account, accounts);
  useEffect(() => {
    if (switchTo) selectAccount(switchTo);
  }, [switchTo, selectAccount]);
  const business = account.kind === 'business';
  // The menu follows what the member may do here: no entry leads to a page their role cannot use.
  const nav = [
    { href: '/', label: 'Dashboard', current: path === '/' },
    { href: '/subscriptions', label: 'Subscriptions', current: path.startsWith('/subscriptions') || (path.includes('/subscriptions/') && !path.startsWith('/back-office')) },
    ...(can(account, 'subscriptions.manage') ? [{ href: '/register-key', label: 'Register Key', current: path === '/register-key' }] : []),
    { href: '/installations', label: 'Installations', current: ['/installations', '/invite-to-install', '/offline-activation'].includes(path) || path.includes('/installations/') },
    ...(business ? [{ href: '/users', label: 'Users', current: ['/users', '/business-profile', '/audit-log', '/webhooks'].includes(path) }] : []),
    ...(business && !mayOpen(account, '/users') ? [{ href: '/business-profile', label: 'Business profile', current: path === '/business-profile' }] : []),
    { href: '/profile', label: 'Profile', current: path === '/profile' },
    ...(user.isOperator ? [{ href: '/back-office', label: 'Back office', current: path.startsWith('/back-office') }] : []),
  ].filter((n) => mayOpen(account, n.href));
  // The account's own management comes before the member's own profile.
  const management = MANAGEMENT.filter((m) => account.features.includes(m.feature) && mayOpen(account, m.href)).map((m) => ({ ...m, current: path === m.href || path.startsWith(`${m.href}/`) }));
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="brand">
            Keyline <span>My Account</span>
          </Link>
          <nav aria-label="Main">
            <ul>
              {nav.map((n) => (
                <Fragment key={n.href}>
                  {n.href === '/profile' && management.length > 0 && <NavGroup label="Management" entries={management} path={path} />}
                  <li>
                    <Link href={n.href} aria-current={n.current ? 'page' : undefined}>
                      {n.label}
                    </Link>
                  </li>
                </Fragment>
              ))}
            </ul>
          </nav>
          <div className="topbar-tools">
            <label className="switcher">
              <span className="visually-hidden">Account</span>
              <select
                value={account.id}
                onChange={(e) => {
                  session.selectAccount(e.target.value);
                  navigate('/');
                }}
              >
                {ACCOUNT_GROUPS.map(({ kind, label }) => {
                  const ofKind = accounts.filter((a) => a.kind === kind);
                  return (
                    ofKind.length > 0 && (
                      <optgroup key={kind} label={label}>
                        {ofKind.map((a) => (
                          <option key={a.id} value={a.id}>
                            {a.name}
                          </option>
                        ))}
                      </optgroup>
                    )
                  );
                })}
              </select>
            </label>
            <button
              type="button"
              className="button secondary small"
              onClick={async () => {
                await session.signOut();
                navigate('/signin', true);
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      {!user.emailVerified && <VerifyBanner />}
      <main id="main" className="page">
        {account.status === 'blocked' ? (
          <p className="state state-error">Your membership in {account.name} is blocked; ask one of its administrators. You can switch to another account above.</p>
        ) : (
          children
        )}
      </main>
    </>
  );
}
