import { describe, expect, it } from 'vitest';
import { ACCOUNT_PERMISSIONS, decideAccess, heldPermissions, LICENSE_ADMIN_PERMISSIONS, wouldLoseLastAdmin, type AccountPermission } from '../../../src/domain/membership.js';

const all: readonly AccountPermission[] = ACCOUNT_PERMISSIONS;

describe('account permissions', () => {
  it('lets an active administrator do everything', () => {
    for (const p of all) expect(decideAccess({ role: 'admin', status: 'active' }, p)).toBe('allow');
  });
  it('lets a regular member only view the account', () => {
    for (const p of all) expect(decideAccess({ role: 'member', status: 'active' }, p)).toBe(p === 'account.view' ? 'allow' : 'denied');
  });
  it('blocks a blocked member from everything, administrators included', () => {
    for (const p of all) {
      expect(decideAccess({ role: 'admin', status: 'blocked' }, p)).toBe('blocked');
      expect(decideAccess({ role: 'member', status: 'blocked' }, p)).toBe('blocked');
    }
  });
});

describe('held permissions (what the portal offers)', () => {
  it('are everything for an administrator, the account alone for a regular member, nothing while blocked', () => {
    expect(heldPermissions({ role: 'admin', status: 'active' }, 0)).toEqual(all);
    expect(heldPermissions({ role: 'member', status: 'active' }, 0)).toEqual(['account.view']);
    expect(heldPermissions({ role: 'member', status: 'blocked' }, 3)).toEqual([]);
    expect(heldPermissions({ role: 'admin', status: 'blocked' }, 0)).toEqual([]);
  });
  it('add the licensing permissions of a License Administrator once a key is granted', () => {
    expect(new Set(heldPermissions({ role: 'member', status: 'active' }, 1))).toEqual(new Set(['account.view', ...LICENSE_ADMIN_PERMISSIONS]));
  });
});

describe('last administrator', () => {
  it('protects the only active administrator', () => {
    expect(wouldLoseLastAdmin({ role: 'admin', status: 'active' }, 1)).toBe(true);
    expect(wouldLoseLastAdmin({ role: 'admin', status: 'active' }, 2)).toBe(false);
    expect(wouldLoseLastAdmin({ role: 'member', status: 'active' }, 1)).toBe(false);
    expect(wouldLoseLastAdmin({ role: 'admin', status: 'blocked' }, 1)).toBe(false);
  });
});
