import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../../src/domain/configuration-profile.js';
import { checkPayloadSet, nextVersion, payloadSetHash } from '../../../src/domain/payload-sets.js';
import { configurationHash, desktopPayloadTypes } from '../../../src/domain/payloads.js';

const upgrades = (allowed: boolean, enabled = true) => ({ type: 'major_upgrades', enabled, settings: { allowed } });

describe('a payload set’s payloads (a profile’s or a policy’s)', () => {
  it('are kept as checked, and every problem is named at its place in the request', () => {
    expect(checkPayloadSet(desktopPayloadTypes, [upgrades(true)])).toEqual([upgrades(true)]);
    let issues: { path: string }[] = [];
    try {
      checkPayloadSet(desktopPayloadTypes, [upgrades(true), { type: 'vm_image', enabled: true, settings: { imageName: 'x' } }, upgrades(false), { type: 'printers', enabled: true, settings: {} }]);
    } catch (err) {
      issues = (err as { details: { issues: { path: string }[] } }).details.issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['payloads.1.settings.downloadUrl', 'payloads.2.type', 'payloads.3.type']);
  });
});

describe('a payload set’s version', () => {
  it('moves only when what the set delivers changes', () => {
    const current = { version: 3, contentHash: payloadSetHash([upgrades(true)]) };
    expect(nextVersion(current, payloadSetHash([upgrades(true), { type: 'updates', enabled: false, settings: {} }]))).toBe(3);
    expect(nextVersion(current, payloadSetHash([upgrades(false)]))).toBe(4);
    expect(nextVersion(current, payloadSetHash([upgrades(true, false)]))).toBe(4);
  });

  it('of the built-in Default delivers nothing', () => {
    expect(payloadSetHash(DEFAULT_PROFILE.payloads)).toBe(configurationHash([]));
    expect(payloadSetHash([upgrades(true, false)])).toBe(configurationHash([]));
  });
});
