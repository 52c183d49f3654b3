import { lazy, Suspense, useEffect } from 'react';
import { REGISTER_KEY_PAGE, REGISTER_KEY_PARAM } from '../../src/domain/portal-links';
import { mayOpen, otherAccountNamed } from './access';
import { KeptScope } from './kept';
import { ForgotPassword, ResetPassword, SignIn, SignUp, VerifyEmail } from './pages/auth';
import { AuditLog } from './pages/audit-log';
import { BusinessProfile } from './pages/business-profile';
import { EditProfile, NewProfile } from './pages/configuration-profile';
import { ConfigurationProfiles } from './pages/configuration-profiles';
import { Dashboard } from './pages/dashboard';
import { Installations } from './pages/installations';
import { Join } from './pages/join';
import { InviteToInstall } from './pages/invite-to-install';
import { OfflineActivation } from './pages/offline-activation';
import { Policies } from './pages/policies';
import { EditPolicy, NewPolicy } from './pages/policy';
import { Profile } from './pages/profile';
import { RegisterKey } from './pages/register-key';
import { SubscriptionDetailsPage } from './pages/subscription-details';
import { VirtualMachines } from './pages/virtual-machines';
import { Subscriptions } from './pages/subscriptions';
import { UserGroups } from './pages/user-groups';
import { Users } from './pages/users';
import { Webhooks } from './pages/webhooks';
import { BACK_OFFICE_TITLES } from './pages/vendor/titles';
import { match, navigate, useLocation } from './router';
import { useSession, useSessionState } from './session';
import { Shell } from './shell';
import { NotAllowed } from './ui';

// The back office (and the catalog rules it checks forms with) loads on first use: customers never download it.
const BackOffice = lazy(() => import('./pages/vendor/back-office').then((m) => ({ default: m.BackOffice })));

const TITLES: [RegExp, string][] = [
  ...BACK_OFFICE_TITLES,
  [/^\/$/, 'Dashboard'],
  [/^\/subscriptions$/, 'Subscriptions'],
  [/subscriptions\/.+/, 'Subscription details'],
  [/^\/register-key$/, 'Register Key'],
  [/^\/profile$/, 'Profile & security'],
  [/^\/users$/, 'Users'],
  [/^\/installations$/, 'Installations'],
  [/^\/virtual-machines$/, 'Virtual Machines'],
  [/^\/configuration-profiles$/, 'Configuration Profiles'],
  [/^\/configuration-profiles\/new$/, 'New configuration profile'],
  [/^\/configuration-profiles\/[^/]+$/, 'Configuration profile'],
  [/^\/policies$/, 'Policies'],
  [/^\/policies\/new$/, 'New policy'],
  [/^\/policies\/[^/]+$/, 'Policy'],
  [/^\/user-groups$/, 'User Groups'],
  [/^\/accounts\/[^/]+\/installations\/[^/]+$/, 'Installation details'],
  [/^\/invite-to-install$/, 'Invite users to install'],
  [/^\/offline-activation$/, 'Offline activation'],
  [/^\/business-profile$/, 'Business profile'],
  [/^\/audit-log$/, 'Audit log'],
  [/^\/webhooks$/, 'Webhooks'],
  [/^\/signin$/, 'Sign in'],
  [/^\/signup$/, 'Create your account'],
  [/^\/forgot-password$/, 'Reset your password'],
  [/^\/reset-password$/, 'Set a new password'],
  [/^\/verify-email$/, 'Email confirmation'],
  [/^\/join$/, 'Join a business account'],
];

const titleOf = (path: string) => TITLES.find(([re]) => re.test(path))?.[1] ?? 'Page not found';

function SignedInPage({ path, search }: { path: string; search: URLSearchParams }) {
  const { account, accounts } = useSession();
  // The shell switches to the account the address names; until then the page waits.
  if (otherAccountNamed(path, account, accounts)) return <p className="state" role="status">Loading…</p>;
  // A page the member's role cannot use says so, and who can help, rather than fail its requests.
  if (!mayOpen(account, path)) {
    return (
      <section>
        <h1>{titleOf(path)}</h1>
        <NotAllowed what="use this page" />
      </section>
    );
  }
  const details = match('/accounts/:accountId/subscriptions/:subscriptionId', path);
  if (details) return <SubscriptionDetailsPage accountId={details['accountId']!} subscriptionId={details['subscriptionId']!} />;
  const installation = match('/accounts/:accountId/installations/:installationId', path);
  if (installation) return <Installations keyId={search.get('keyId')} groupId={search.get('groupId')} product={search.get('product')} profile={search.get('profile')} installationId={installation['installationId']!} />;
  const profile = path === '/configuration-profiles/new' ? null : match('/configuration-profiles/:profileId', path);
  if (profile) return <EditProfile profileId={profile['profileId']!} />;
  const policy = path === '/policies/new' ? null : match('/policies/:policyId', path);
  if (policy) return <EditPolicy policyId={policy['policyId']!} />;
  if (path === '/back-office' || path.startsWith('/back-office/')) {
    return (
      <Suspense
        fallback={
          <p className="state" role="status">
            <span className="spinner" aria-hidden="true" /> Loading the back office…
          </p>
        }
      >
        <BackOffice path={path} />
      </Suspense>
    );
  }
  switch (path) {
    case '/':
      return <Dashboard />;
    case '/subscriptions':
      return <Subscriptions />;
    case REGISTER_KEY_PAGE:
      return <RegisterKey fromAddress={search.get(REGISTER_KEY_PARAM)} registered={search.get('registered')} />;
    case '/profile':
      return <Profile />;
    case '/users':
      return <Users />;
    case '/installations':
      return <Installations keyId={search.get('keyId')} groupId={search.get('groupId')} product={search.get('product')} profile={search.get('profile')} installationId={null} />;
    case '/configuration-profiles':
      return <ConfigurationProfiles created={search.get('created')} />;
    case '/configuration-profiles/new':
      return <NewProfile />;
    case '/policies':
      return <Policies created={search.get('created')} />;
    case '/policies/new':
      return <NewPolicy />;
    case '/user-groups':
      return <UserGroups subscriptionId={search.get('subscriptionId')} />;
    case '/virtual-machines':
      return <VirtualMachines keyId={search.get('keyId')} groupId={search.get('groupId')} installationId={search.get('installationId')} />;
    case '/invite-to-install':
      return <InviteToInstall keyId={search.get('keyId')} />;
    case '/offline-activation':
      return <OfflineActivation />;
    case '/business-profile':
      return <BusinessProfile />;
    case '/audit-log':
      return <AuditLog />;
    case '/webhooks':
      return <Webhooks />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>There is no page at this address. Go back to the dashboard from the menu above.</p>
        </section>
      );
  }
}

const PUBLIC_ONLY = new Set(['/signin', '/signup', '/forgot-password']);

export function App() {
  const state = useSessionState();
  const url = useLocation();
  const path = url.pathname.replace(/(.)\/$/, '$1');

  useEffect(() => {
    document.title = `${titleOf(path)} · Keyline My Account`;
  }, [path]);

  const anonymousOnly = PUBLIC_ONLY.has(path);
  const redirect = state.status === 'anonymous' && !anonymousOnly && path !== '/reset-password' && path !== '/verify-email' && path !== '/join' ? `/signin?next=${encodeURIComponent(path + url.search)}` : state.status === 'signed-in' && anonymousOnly ? '/' : null;
  useEffect(() => {
    if (redirect) navigate(redirect, true);
  }, [redirect]);

  if (state.status === 'loading' || redirect) return <p className="state" role="status">Loading…</p>;
  if (path === '/reset-password') return <ResetPassword />;
  if (path === '/verify-email') return <VerifyEmail />;
  if (path === '/join') return <Join />;
  if (state.status === 'anonymous') {
    if (path === '/signup') return <SignUp />;
    if (path === '/forgot-password') return <ForgotPassword />;
    return <SignIn />;
  }
  return (
    <Shell path={path}>
      {/* A page starts afresh in another account: no filter, page or draft crosses over. */}
      <KeptScope.Provider value={state.session.account.id}>
        <SignedInPage key={state.session.account.id} path={path} search={url.searchParams} />
      </KeptScope.Provider>
    </Shell>
  );
}
