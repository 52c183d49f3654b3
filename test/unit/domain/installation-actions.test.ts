import { describe, expect, it } from 'vitest';
import { actionApplies, INSTALLATION_ACTIONS, type InstallationFacts } from '../../../src/domain/installation-actions.js';

const offered = (facts: InstallationFacts) => INSTALLATION_ACTIONS.filter((a) => actionApplies(a, facts));

describe('which actions apply to an installation', () => {
  it('offers an active machine everything but removal from the blacklist', () => {
    expect(offered({ state: 'active', blacklisted: false, pendingAction: null, onKey: true })).toEqual(['deactivate', 'blacklist', 'move']);
  });
  it('does not deactivate twice a machine already waiting to deactivate', () => {
    expect(offered({ state: 'active', blacklisted: false, pendingAction: 'deactivate', onKey: true })).toEqual(['blacklist', 'move']);
  });
  it('offers a blacklisted machine only its removal from the blacklist', () => {
    expect(offered({ state: 'deactivated', blacklisted: true, pendingAction: null, onKey: true })).toEqual(['unblacklist']);
  });
  it('lets a deactivated machine be blacklisted, unless its key is gone', () => {
    expect(offered({ state: 'deactivated', blacklisted: false, pendingAction: null, onKey: true })).toEqual(['blacklist']);
    expect(offered({ state: 'deactivated', blacklisted: false, pendingAction: null, onKey: false })).toEqual([]);
  });
});
