import { AppError } from './errors.js';

export type AccountKind = 'personal' | 'business';
export type MemberRole = 'admin' | 'member';
export type MemberStatus = 'active' | 'blocked';

/**
 * What a member of an account may do. Account Administrators do everything; Regular Members see
 * the account's profile and nothing else until granted more (License Administrators, with their
 * chosen keys, arrive with license keys).
 */
export const ACCOUNT_PERMISSIONS = [
  'account.view',
  'account.edit',
  'members.view',
  'members.manage',
  'invitations.manage',
  'audit.view',
  'subscriptions.view',
  'subscriptions.manage',
  'keys.view',
  'keys.manage',
  'install_invitations.manage',
  'installations.view',
  'installations.manage',
  // Configuration profiles, user groups and policies: account administrators only, never License Administrators.
  'configuration.manage',
  // Webhook endpoints: their signing secrets and the account's events reach whoever holds them.
  'webhooks.manage',
  // Single sign-on: the identity provider's client secret, and the seats of the people who sign in.
  'sso.manage',
] as const;

export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];

const rolePermissions: Record<MemberRole, ReadonlySet<AccountPermission>> = {
  admin: new Set<AccountPermission>(ACCOUNT_PERMISSIONS),
  member: new Set<AccountPermission>(['account.view']),
};

export type AccessDecision = 'allow' | 'blocked' | 'denied';

/**
 * What a License Administrator (a regular member granted chosen keys) may do, on those keys
 * only: see them and their subscription, and manage their installations and invitations to
 * install. Never the account's members, configuration or other keys.
 */
export const LICENSE_ADMIN_PERMISSIONS: ReadonlySet<AccountPermission> = new Set<AccountPermission>([
  'subscriptions.view',
  'keys.view',
  'installations.view',
  'installations.manage',
  'install_invitations.manage',
]);

export type ScopedDecision = 'allow_all' | 'allow_granted_keys' | 'blocked' | 'denied';

/** Like decideAccess, for permissions a License Administrator may hold on the keys granted to them. */
export function decideKeyAccess(
  membership: { role: MemberRole; status: MemberStatus },
  grantedKeys: number,
  permission: AccountPermission,
): ScopedDecision {
  const decision = decideAccess(membership, permission);
  if (decision !== 'denied') return decision === 'allow' ? 'allow_all' : 'blocked';
  return grantedKeys > 0 && LICENSE_ADMIN_PERMISSIONS.has(permission) ? 'allow_granted_keys' : 'denied';
}

/**
 * Every permission a member holds in the account, some perhaps only on the keys granted to them:
 * what the portal offers them (menu entries, pages, actions), by the same rule the API decides
 * with. A blocked member holds none.
 */
export function heldPermissions(membership: { role: MemberRole; status: MemberStatus }, grantedKeys: number): AccountPermission[] {
  return ACCOUNT_PERMISSIONS.filter((p) => {
    const decision = decideKeyAccess(membership, grantedKeys, p);
    return decision === 'allow_all' || decision === 'allow_granted_keys';
  });
}

export function decideAccess(
  membership: { role: MemberRole; status: MemberStatus },
  permission: AccountPermission,
): AccessDecision {
  if (membership.status === 'blocked') return 'blocked';
  return rolePermissions[membership.role].has(permission) ? 'allow' : 'denied';
}

export function roleAllows(role: MemberRole, permission: AccountPermission): boolean {
  return rolePermissions[role].has(permission);
}

/**
 * An account must always keep an active administrator: the change is refused when it would take
 * the last one away (leaving, removal, demotion or blocking).
 */
export function wouldLoseLastAdmin(
  target: { role: MemberRole; status: MemberStatus },
  activeAdminCount: number,
): boolean {
  return target.role === 'admin' && target.status === 'active' && activeAdminCount <= 1;
}

/** Membership changes that make no sense on a personal account, which has exactly its owner. */
export function isMembershipManagedAccount(kind: AccountKind): boolean {
  return kind === 'business';
}

export function requireMembershipManaged(account: { kind: AccountKind }): void {
  if (!isMembershipManagedAccount(account.kind)) {
    throw new AppError('personal_account', 'A personal account belongs to its owner alone; members and invitations are for business accounts');
  }
}
