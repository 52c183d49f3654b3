import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../src/domain/catalog.js';
import {
  canonicalJson,
  checkPayload,
  configurationHash,
  desktopPayloadTypes,
  effectiveConfiguration,
  payloadTypesSchema,
  type Payload,
} from '../../../src/domain/payloads.js';

const checksum = 'A'.repeat(64);
const image = { imageName: 'Windows 11 corporate', downloadUrl: 'https://files.example.com/win11.pvmp', checksum, architecture: 'apple_silicon' };

describe('payload settings', () => {
  it('keeps a valid payload, with a checksum in lower case', () => {
    expect(checkPayload(desktopPayloadTypes, { type: 'vm_image', enabled: true, settings: image })).toEqual({
      ok: true,
      payload: { type: 'vm_image', enabled: true, settings: { ...image, checksum: 'a'.repeat(64) } },
    });
  });

  it('names the setting that is wrong, in words', () => {
    const cases: [unknown, (string | number)[], RegExp][] = [
      [{ ...image, checksum: 'abc' }, ['settings', 'checksum'], /SHA-256/],
      [{ ...image, downloadUrl: 'ftp://files.example.com/x' }, ['settings', 'downloadUrl'], /http/],
      [{ ...image, architecture: 'sparc' }, ['settings', 'architecture'], /./],
      [{ ...image, extra: 1 }, ['settings'], /./],
      [{ ...image, imageName: '' }, ['settings', 'imageName'], /./],
    ];
    for (const [settings, path, message] of cases) {
      const verdict = checkPayload(desktopPayloadTypes, { type: 'vm_image', enabled: true, settings });
      expect(verdict.ok, JSON.stringify(settings)).toBe(false);
      if (!verdict.ok) {
        expect(verdict.path).toEqual(path);
        expect(verdict.message).toMatch(message);
      }
    }
  });

  it('lets a disabled payload keep half its settings, and asks for them all to enable it', () => {
    const half = { imageName: 'Windows 11' };
    expect(checkPayload(desktopPayloadTypes, { type: 'vm_image', enabled: false, settings: half }).ok).toBe(true);
    expect(checkPayload(desktopPayloadTypes, { type: 'vm_image', enabled: true, settings: half })).toMatchObject({ ok: false, path: ['settings', 'downloadUrl'] });
  });

  it('refuses a type the product does not have, and says which it has', () => {
    expect(checkPayload(desktopPayloadTypes, { type: 'printers', enabled: true, settings: {} })).toMatchObject({ ok: false, path: ['type'], message: expect.stringContaining('vm_image') });
    expect(checkPayload([], { type: 'printers', enabled: true, settings: {} })).toMatchObject({ ok: false, message: expect.stringContaining('it has none') });
  });

  it('takes each kind of setting: integer bounds, lists, booleans', () => {
    const types = payloadTypesSchema.parse([
      {
        type: 'screen',
        name: 'Screen',
        settings: [
          { key: 'depth', label: 'Depth', kind: 'integer', min: 1, max: 32 },
          { key: 'names', label: 'Names', kind: 'list', maxItems: 2 },
          { key: 'on', label: 'On', kind: 'boolean' },
        ],
      },
    ]);
    const check = (settings: unknown) => checkPayload(types, { type: 'screen', enabled: true, settings }).ok;
    expect(check({ depth: 32, names: ['a', 'b'], on: false })).toBe(true);
    expect(check({ depth: 33 })).toBe(false);
    expect(check({ depth: 1.5 })).toBe(false);
    expect(check({ names: ['a', 'b', 'c'] })).toBe(false);
    expect(check({ names: [''] })).toBe(false);
    expect(check({ on: 'yes' })).toBe(false);
    expect(check({})).toBe(true);
  });

  it('refuses a vendor type with two settings of one key, or two types of one name', () => {
    const setting = { key: 'a', label: 'A', kind: 'boolean' };
    expect(payloadTypesSchema.safeParse([{ type: 't', name: 'T', settings: [setting, setting] }]).success).toBe(false);
    expect(payloadTypesSchema.safeParse([{ type: 't', name: 'T', settings: [setting] }, { type: 't', name: 'U', settings: [setting] }]).success).toBe(false);
    expect(payloadTypesSchema.safeParse([{ type: 'Bad Type', name: 'T', settings: [setting] }]).success).toBe(false);
  });

  it('gives the desktop editions the payloads of the guides, and the other products none', () => {
    const types = Object.fromEntries(demoCatalog.map((p) => [p.code, p.payloadTypes.map((t) => t.type)]));
    expect(types['desktop-business']).toEqual(['vm_image', 'major_upgrades', 'updates', 'restrictions', 'usb_devices']);
    expect(types['desktop-enterprise']).toEqual(types['desktop-business']);
    expect(types['ras']).toEqual([]);
  });
});

describe('effective configuration (policies over the key profile)', () => {
  const on = (type: string, settings: Payload['settings']): Payload => ({ type, enabled: true, settings });
  const off = (type: string, settings: Payload['settings']): Payload => ({ type, enabled: false, settings });

  it('is the profile alone when there is no policy, enabled payloads only, in type order', () => {
    expect(effectiveConfiguration([on('updates', { branch: 'beta' }), off('vm_image', { imageName: 'x' }), on('major_upgrades', { allowed: true })], [])).toEqual([
      { type: 'major_upgrades', settings: { allowed: true } },
      { type: 'updates', settings: { branch: 'beta' } },
    ]);
  });

  it('is empty for the Default profile and no policy, or an empty one', () => {
    expect(effectiveConfiguration([], [])).toEqual([]);
    expect(effectiveConfiguration([], [[]])).toEqual([]);
  });

  // Every combination of a type's presence in each: absent, disabled, enabled.
  const states = ['absent', 'disabled', 'enabled'] as const;
  type State = (typeof states)[number];
  const make = (state: State, settings: Payload['settings']) => (state === 'absent' ? [] : state === 'enabled' ? [on('updates', settings)] : [off('updates', settings)]);

  for (const inProfile of states) {
    for (const inPolicy of states) {
      it(`with the type ${inProfile} in the profile and ${inPolicy} in the policy`, () => {
        const result = effectiveConfiguration(make(inProfile, { branch: 'stable', serverUrl: 'https://a.example' }), [make(inPolicy, { branch: 'beta' })]);
        const expected =
          inProfile === 'enabled' && inPolicy === 'enabled'
            ? [{ type: 'updates', settings: { branch: 'beta', serverUrl: 'https://a.example' } }]
            : inProfile === 'enabled'
              ? [{ type: 'updates', settings: { branch: 'stable', serverUrl: 'https://a.example' } }]
              : inPolicy === 'enabled'
                ? [{ type: 'updates', settings: { branch: 'beta' } }]
                : [];
        expect(result).toEqual(expected);
      });
    }
  }

  // With two policies over the profile (another kind joining the group's), every combination of the
  // three: each enabled one lays the settings it sets over those before it, a later one winning.
  const profileSettings = { branch: 'stable', serverUrl: 'https://profile.example' };
  const firstSettings = { branch: 'beta', serverUrl: 'https://first.example' };
  const secondSettings = { branch: 'early_access' };
  for (const inProfile of states) {
    for (const inFirst of states) {
      for (const inSecond of states) {
        it(`with the type ${inProfile} in the profile, ${inFirst} in the first policy and ${inSecond} in the second`, () => {
          const result = effectiveConfiguration(make(inProfile, profileSettings), [make(inFirst, firstSettings), make(inSecond, secondSettings)]);
          const layers = [
            [inProfile, profileSettings],
            [inFirst, firstSettings],
            [inSecond, secondSettings],
          ] as const;
          const enabled = layers.filter(([state]) => state === 'enabled').map(([, settings]) => settings);
          const expected = enabled.length === 0 ? [] : [{ type: 'updates', settings: Object.assign({}, ...enabled) }];
          expect(result).toEqual(expected);
          // Spelled out where all three are enabled: the second policy's branch, the first's server.
          if (enabled.length === 3) expect(result).toEqual([{ type: 'updates', settings: { branch: 'early_access', serverUrl: 'https://first.example' } }]);
        });
      }
    }
  }

  it('lets a policy set false or an empty list over the profile, and keeps what the policy leaves unset', () => {
    const result = effectiveConfiguration(
      [on('restrictions', { createVm: true, removeVm: true }), on('usb_devices', { policy: 'allow_listed', allowedDevices: ['05ac:12a8'] })],
      [[on('restrictions', { createVm: false }), on('usb_devices', { allowedDevices: [] })]],
    );
    expect(result).toEqual([
      { type: 'restrictions', settings: { createVm: false, removeVm: true } },
      { type: 'usb_devices', settings: { policy: 'allow_listed', allowedDevices: [] } },
    ]);
  });

  it('takes a type only a policy has from the policy, beside the types only the profile has', () => {
    expect(effectiveConfiguration([on('updates', { branch: 'beta' })], [[on('major_upgrades', { allowed: false })]])).toEqual([
      { type: 'major_upgrades', settings: { allowed: false } },
      { type: 'updates', settings: { branch: 'beta' } },
    ]);
  });

  it('does not depend on the order payloads were stored in', () => {
    const a = [on('updates', { branch: 'beta' }), on('major_upgrades', { allowed: false })];
    expect(effectiveConfiguration(a, [])).toEqual(effectiveConfiguration([...a].reverse(), []));
    expect(effectiveConfiguration([], [a])).toEqual(effectiveConfiguration([], [[...a].reverse()]));
  });
});

describe('configuration hash', () => {
  it('is the same for the same content whatever the key order, and differs when a value changes', () => {
    const a = configurationHash([{ type: 'updates', settings: { branch: 'beta', serverUrl: 'https://a.example' } }]);
    const b = configurationHash([{ type: 'updates', settings: { serverUrl: 'https://a.example', branch: 'beta' } }]);
    const c = configurationHash([{ type: 'updates', settings: { serverUrl: 'https://a.example', branch: 'stable' } }]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('writes canonical JSON: sorted keys at every level, arrays in order, undefined left out', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null, u: undefined })).toBe('{"a":null,"b":[2,{"c":"x","d":1}]}');
  });
});
