import type { MyAccount } from './api';
import { can, type Permission } from './session';

/**
 * What each page of an account needs of the member: its menu entry shows, and the page opens,
 * only for those who hold it. Pages not named here are for every member.
 */
const PAGE_PERMISSIONS: [RegExp, Permission][] = [
  [/^\/subscriptions$/, 'subscriptions.view'],
  [/^\/accounts\/[^/]+\/subscriptions\/[^/]+$/, 'subscriptions.view'],
  [/^\/installations$/, 'installations.view'],
  [/^\/accounts\/[^/]+\/installations\/[^/]+$/, 'installations.view'],
  [/^\/virtual-machines$/, 'installations.view'],
  [/^\/configuration-profiles(\/[^/]+)?$/, 'configuration.manage'],
  [/^\/policies(\/[^/]+)?$/, 'configuration.manage'],
  [/^\/user-groups$/, 'configuration.manage'],
  [/^\/invite-to-install$/, 'install_invitations.manage'],
  [/^\/offline-activation$/, 'installations.manage'],
  [/^\/users$/, 'members.view'],
  [/^\/audit-log$/, 'audit.view'],
  [/^\/webhooks$/, 'webhooks.manage'],
];

export function mayOpen(account: MyAccount, path: string): boolean {
  const needed = PAGE_PERMISSIONS.find(([page]) => page.test(path))?.[1];
  return needed === undefined || can(account, needed);
}

/**
 * Another of the user's accounts that the address names (/accounts/:accountId/…, a shared link):
 * the portal switches to it before it shows the page.
 */
export function otherAccountNamed(path: string, account: MyAccount, accounts: readonly MyAccount[]): string | null {
  const named = path.match(/^\/accounts\/([^/]+)\//)?.[1];
  return named !== undefined && named !== account.id && accounts.some((a) => a.id === named) ? named : null;
}
