import { describe, expect, it } from 'vitest';
import { appliedState, checkProfilePayloads, DEFAULT_PROFILE, nextVersion, profileHash } from '../../../src/domain/configuration-profile.js';
import { configurationHash, desktopPayloadTypes } from '../../../src/domain/payloads.js';

const upgrades = (allowed: boolean, enabled = true) => ({ type: 'major_upgrades', enabled, settings: { allowed } });

describe('a profile’s payloads', () => {
  it('are kept as checked, and every problem is named at its place in the request', () => {
    expect(checkProfilePayloads(desktopPayloadTypes, [upgrades(true)])).toEqual([upgrades(true)]);
    let issues: { path: string }[] = [];
    try {
      checkProfilePayloads(desktopPayloadTypes, [upgrades(true), { type: 'vm_image', enabled: true, settings: { imageName: 'x' } }, upgrades(false), { type: 'printers', enabled: true, settings: {} }]);
    } catch (err) {
      issues = (err as { details: { issues: { path: string }[] } }).details.issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['payloads.1.settings.downloadUrl', 'payloads.2.type', 'payloads.3.type']);
  });
});

describe('a profile’s version', () => {
  it('moves only when what the profile delivers changes', () => {
    const current = { version: 3, contentHash: profileHash([upgrades(true)]) };
    expect(nextVersion(current, profileHash([upgrades(true), { type: 'updates', enabled: false, settings: {} }]))).toBe(3);
    expect(nextVersion(current, profileHash([upgrades(false)]))).toBe(4);
    expect(nextVersion(current, profileHash([upgrades(true, false)]))).toBe(4);
  });

  it('of the built-in Default delivers nothing', () => {
    expect(profileHash(DEFAULT_PROFILE.payloads)).toBe(configurationHash([]));
    expect(profileHash([upgrades(true, false)])).toBe(configurationHash([]));
  });
});

describe('what an installation has applied', () => {
  it('is the current version, an earlier one, or not reported yet', () => {
    expect(appliedState(null, { hash: 'h2' })).toBe('not_reported');
    expect(appliedState('h2', { hash: 'h2' })).toBe('current');
    expect(appliedState('h1', { hash: 'h2' })).toBe('earlier');
  });
});
