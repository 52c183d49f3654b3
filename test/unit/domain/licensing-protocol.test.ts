import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { LICENSE_STATES, WARNING_CODES } from '../../../src/domain/certificate.js';
import { errorStatus } from '../../../src/domain/errors.js';
import {
  activationRequestSchema,
  activationResponseSchema,
  certificateClaimsSchema,
  CHECK_IN_ACTIONS,
  checkInRequestSchema,
  checkInResponseSchema,
  deactivationResponseSchema,
  fingerprintSchema,
  jwksSchema,
  LICENSING_ERROR_CODES,
  MAX_OFFLINE_FILE_CHARS,
  nonceSchema,
  OFFLINE_ANSWER_KINDS,
  OFFLINE_REQUEST_KINDS,
  offlineAnswerSchema,
  offlineRequestSchema,
  offlineUploadAnswerSchema,
  offlineUploadSchema,
  publicKeySchema,
  statusResponseSchema,
  trialRequestSchema,
} from '../../../src/domain/licensing-protocol.js';

const takes = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;
/** Where the schema finds fault with a value, as dotted paths. */
const faults = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

const fingerprint = 'a3f9c2e17b4d8e60-lab-7';
const publicKey = randomBytes(32).toString('base64url');
const activation = { product: 'desktop-business', licenseKey: 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY', fingerprint, publicKey };
const at = '2025-06-01T12:00:00.000Z';

describe('the licensing error codes', () => {
  it('hold every code PROTOCOL.md promises', () => {
    const promised = [
      'validation_failed', 'key_malformed', 'key_checksum_mismatch', 'key_not_found', 'code_not_found', 'code_expired', 'code_used',
      'product_mismatch', 'license_type_mismatch', 'subscription_expired', 'subscription_suspended', 'key_expired',
      'installation_blacklisted', 'quota_exhausted', 'key_bound_to_other_installation', 'move_limit_reached', 'offline_not_enabled',
      'token_invalid', 'installation_deactivated', 'file_malformed', 'file_signature_invalid', 'file_expired', 'file_replayed',
      'file_wrong_installation', 'rate_limited',
    ];
    expect(LICENSING_ERROR_CODES).toEqual(expect.arrayContaining(promised));
  });

  it('are codes of the catalogue, each with its status there, and each once', () => {
    for (const code of LICENSING_ERROR_CODES) expect([code, code in errorStatus]).toEqual([code, true]);
    expect(new Set(LICENSING_ERROR_CODES).size).toBe(LICENSING_ERROR_CODES.length);
  });

  it('include the server faults a product must be ready to wait out', () => {
    const serverFaults = Object.entries(errorStatus).filter(([, status]) => status >= 500).map(([code]) => code);
    expect(LICENSING_ERROR_CODES).toEqual(expect.arrayContaining(serverFaults));
  });

  it('leave out what only the portal answers: cookies, members, the back office', () => {
    for (const code of ['csrf_failed', 'email_taken', 'last_admin', 'operator_only', 'product_in_use', 'file_wrong_account']) {
      expect(LICENSING_ERROR_CODES).not.toContain(code);
    }
  });
});

describe("an installation's identity", () => {
  it('has a fingerprint of 16 to 200 printable ASCII characters without spaces', () => {
    const printable = fc.constantFrom(...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)));
    fc.assert(
      fc.property(fc.array(printable, { minLength: 16, maxLength: 200 }), (cs) => {
        expect(takes(fingerprintSchema, cs.join(''))).toBe(true);
      }),
    );
    expect(takes(fingerprintSchema, 'x'.repeat(15))).toBe(false);
    expect(takes(fingerprintSchema, 'x'.repeat(201))).toBe(false);
  });

  it.each(['machine id 0000000001', 'machine-id-000000\t1', 'machine-id-0000000ü', 'machine-id-00000001\n', 'machine-id-\u0000000000'])(
    'refuses the fingerprint %j',
    (f) => {
      expect(takes(fingerprintSchema, f)).toBe(false);
    },
  );

  it('has a public key of exactly 32 bytes in unpadded base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        expect(takes(publicKeySchema, Buffer.from(bytes).toString('base64url'))).toBe(true);
      }),
    );
    for (const n of [0, 16, 31, 33, 64]) expect([n, takes(publicKeySchema, randomBytes(n).toString('base64url'))]).toEqual([n, false]);
    expect(takes(publicKeySchema, `${publicKey}=`)).toBe(false);
    expect(takes(publicKeySchema, `${publicKey.slice(0, 42)}+`)).toBe(false);
    expect(takes(publicKeySchema, `${publicKey.slice(0, 42)}/`)).toBe(false);
  });
});

describe('an activation request', () => {
  it('is a product, a license key or an activation code, a fingerprint and a public key', () => {
    expect(takes(activationRequestSchema, activation)).toBe(true);
    const { licenseKey: _key, ...withoutKey } = activation;
    expect(takes(activationRequestSchema, { ...withoutKey, activationCode: 'K7Q2-M9XD' })).toBe(true);
  });

  it('takes the descriptive fields and trims their text', () => {
    const parsed = activationRequestSchema.parse({
      ...activation,
      licenseType: 'desktop',
      name: '  lab-7  ',
      appVersion: '4.2.0',
      hostOs: 'Windows 11',
      userName: 'ana',
      hardware: { serialNumber: 'SN1', model: 'ThinkPad', cpuArch: 'x64', macAddresses: ['00:11:22:33:44:55'], ipAddresses: ['10.0.0.7'] },
      siteCode: 'HQ',
      siteDescription: 'Head office',
      serverId: 'farm-1',
    });
    expect(parsed.name).toBe('lab-7');
    expect(parsed.hardware?.macAddresses).toEqual(['00:11:22:33:44:55']);
  });

  it('sends a license key or an activation code, never both nor neither', () => {
    const { licenseKey: _key, ...neither } = activation;
    expect(faults(activationRequestSchema, neither)).toEqual(['licenseKey']);
    expect(faults(activationRequestSchema, { ...activation, activationCode: 'K7Q2-M9XD' })).toEqual(['licenseKey']);
    expect(activationRequestSchema.safeParse(neither).error?.issues[0]?.message).toBe('send one of licenseKey, activationCode or ssoDeviceCode');
  });

  it('trims the key it is sent, and refuses one that is only spaces or too long', () => {
    expect(activationRequestSchema.parse({ ...activation, licenseKey: '  ABCDE-FGHIJ  ' }).licenseKey).toBe('ABCDE-FGHIJ');
    expect(takes(activationRequestSchema, { ...activation, licenseKey: '   ' })).toBe(false);
    expect(takes(activationRequestSchema, { ...activation, licenseKey: 'K'.repeat(64) })).toBe(true);
    expect(takes(activationRequestSchema, { ...activation, licenseKey: 'K'.repeat(65) })).toBe(false);
  });

  it.each([
    ['an unknown field', { ...activation, seats: 100 }, ''],
    ['no product', { ...activation, product: '' }, 'product'],
    ['a product code too long', { ...activation, product: 'p'.repeat(51) }, 'product'],
    ['an empty license type', { ...activation, licenseType: '' }, 'licenseType'],
    ['a short fingerprint', { ...activation, fingerprint: 'short' }, 'fingerprint'],
    ['no public key', { ...activation, publicKey: undefined }, 'publicKey'],
    ['a name too long', { ...activation, name: 'n'.repeat(201) }, 'name'],
    ['unknown hardware', { ...activation, hardware: { gpu: 'RTX' } }, 'hardware'],
    ['too many MAC addresses', { ...activation, hardware: { macAddresses: Array(33).fill('00:11:22:33:44:55') } }, 'hardware.macAddresses'],
    ['too many IP addresses', { ...activation, hardware: { ipAddresses: Array(65).fill('10.0.0.1') } }, 'hardware.ipAddresses'],
    ['a site description too long', { ...activation, siteDescription: 'd'.repeat(501) }, 'siteDescription'],
    ['a number for a name', { ...activation, name: 7 }, 'name'],
  ])('is refused with %s', (_what, body, path) => {
    expect(faults(activationRequestSchema, body)).toEqual([path]);
  });

  it('measures its text after trimming it', () => {
    expect(activationRequestSchema.parse({ ...activation, name: ` ${'n'.repeat(200)} ` }).name).toHaveLength(200);
  });
});

describe('a trial request', () => {
  const trial = { product: 'desktop-business', fingerprint, publicKey };

  it('is a product, a fingerprint, a public key and descriptive fields', () => {
    expect(takes(trialRequestSchema, trial)).toBe(true);
    expect(takes(trialRequestSchema, { ...trial, name: 'lab-7', hardware: { cpuArch: 'arm64' } })).toBe(true);
  });

  it('carries no key or code, and nothing else unknown', () => {
    expect(takes(trialRequestSchema, { ...trial, licenseKey: 'ABCDE-FGHIJ' })).toBe(false);
    expect(takes(trialRequestSchema, { ...trial, activationCode: 'K7Q2' })).toBe(false);
    expect(takes(trialRequestSchema, { ...trial, trialDays: 365 })).toBe(false);
  });
});

describe('a check-in request', () => {
  it('may be empty, or report usage, changed fields and virtual machines', () => {
    expect(takes(checkInRequestSchema, {})).toBe(true);
    expect(takes(checkInRequestSchema, { usage: { peak: 12, current: 9, measuredAt: at }, appVersion: '4.3.0', virtualMachines: [{ id: 'vm-1' }] })).toBe(true);
  });

  it('reports usage as whole, non-negative counts up to ten million, measured at a moment with its offset', () => {
    const usage = (u: object) => takes(checkInRequestSchema, { usage: { peak: 1, current: 1, measuredAt: at, ...u } });
    expect(usage({ peak: 0, current: 0 })).toBe(true);
    expect(usage({ peak: 10_000_000 })).toBe(true);
    expect(usage({ measuredAt: '2025-06-01T14:00:00+02:00' })).toBe(true);
    for (const bad of [{ peak: -1 }, { current: 1.5 }, { peak: 10_000_001 }, { peak: '3' }, { measuredAt: '2025-06-01' }, { measuredAt: '2025-06-01T12:00:00' }, { extra: 1 }]) {
      expect([bad, usage(bad)]).toEqual([bad, false]);
    }
  });

  it('refuses fields it does not know and more than 10,000 virtual machines', () => {
    expect(takes(checkInRequestSchema, { fingerprint })).toBe(false);
    expect(takes(checkInRequestSchema, { virtualMachines: Array(10_001).fill({}) })).toBe(false);
    expect(takes(checkInRequestSchema, { virtualMachines: {} })).toBe(false);
  });

  it('takes any list of virtual machines: each entry is read on its own, so one bad entry never refuses the check-in', () => {
    expect(takes(checkInRequestSchema, { virtualMachines: ['vm-1', null, { name: 'x' }] })).toBe(true);
  });
});

describe("the server's answers", () => {
  const answers = {
    activation: [activationResponseSchema, { installationId: randomUUID(), installationToken: 'tok', certificate: 'a.b.c', nextCheckInAt: at }],
    checkIn: [checkInResponseSchema, { certificate: 'a.b.c', nextCheckInAt: at, action: 'none', warnings: [{ code: 'license_expiring', message: 'soon', daysLeft: 7 }], profile: null }],
    status: [statusResponseSchema, { total: 10, used: 3, remaining: 7, licenseExpiresAt: at, state: 'active', warnings: [] }],
    deactivation: [deactivationResponseSchema, { installationId: randomUUID(), state: 'deactivated' }],
    jwks: [jwksSchema, { keys: [{ kty: 'OKP', crv: 'Ed25519', x: publicKey, kid: 'k1', alg: 'EdDSA', use: 'sig' }] }],
  } as const;

  it.each(Object.entries(answers))('take the %s answer as the server writes it', (_name, [schema, answer]) => {
    expect(takes(schema, answer)).toBe(true);
  });

  it.each(Object.entries(answers))('take a %s answer from a newer server that added fields, so old products keep working', (_name, [schema, answer]) => {
    expect(takes(schema, { ...answer, addedInVersion2: { anything: true } })).toBe(true);
  });

  it.each(Object.entries(answers))('refuse a %s answer missing any field', (_name, [schema, answer]) => {
    for (const field of Object.keys(answer)) {
      const { [field]: _dropped, ...rest } = answer as Record<string, unknown>;
      expect([field, takes(schema, rest)]).toEqual([field, false]);
    }
  });

  it('tell a check-in one of the actions, the warnings and states of the certificate rules', () => {
    const [, checkIn] = answers.checkIn;
    for (const action of CHECK_IN_ACTIONS) expect(takes(checkInResponseSchema, { ...checkIn, action })).toBe(true);
    expect(CHECK_IN_ACTIONS).toEqual(['none', 'deactivate', 'reactivate']);
    expect(takes(checkInResponseSchema, { ...checkIn, action: 'uninstall' })).toBe(false);
    for (const code of WARNING_CODES) expect(takes(checkInResponseSchema, { ...checkIn, warnings: [{ code, message: 'm' }] })).toBe(true);
    expect(takes(checkInResponseSchema, { ...checkIn, warnings: [{ code: 'mystery', message: 'm' }] })).toBe(false);
    expect(takes(checkInResponseSchema, { ...checkIn, warnings: [{ code: 'over_limit', message: 'm', daysLeft: 1.5 }] })).toBe(false);
    expect(takes(checkInResponseSchema, { ...checkIn, profile: { id: null, name: 'Default', version: 1, hash: 'h', document: 'a.b.c' } })).toBe(true);
    expect(takes(checkInResponseSchema, { ...checkIn, profile: { theme: 'dark' } })).toBe(false);
    // A kind of policy a client does not know yet is still a policy it was given.
    const policies = [{ kind: 'golden_image', id: 'p', name: 'Image', version: 1 }];
    expect(takes(checkInResponseSchema, { ...checkIn, profile: { id: null, name: 'Default', version: 1, policies, hash: 'h', document: 'a.b.c' } })).toBe(true);
    expect(takes(checkInResponseSchema, { ...checkIn, profile: { id: null, name: 'Default', version: 1, policies: [{ id: 'p' }], hash: 'h', document: 'a.b.c' } })).toBe(false);
    const [, status] = answers.status;
    for (const state of LICENSE_STATES) expect(takes(statusResponseSchema, { ...status, state })).toBe(true);
    expect(takes(statusResponseSchema, { ...status, state: 'lapsed' })).toBe(false);
  });

  it('say when to call in next as a moment with its offset', () => {
    const [, activationAnswer] = answers.activation;
    for (const nextCheckInAt of ['2025-06-01T12:00:00Z', '2025-06-01T14:00:00+02:00', '2025-06-01T12:00:00.123456Z']) {
      expect([nextCheckInAt, takes(activationResponseSchema, { ...activationAnswer, nextCheckInAt })]).toEqual([nextCheckInAt, true]);
    }
    for (const nextCheckInAt of ['2025-06-01', '2025-06-01T12:00:00', 'tomorrow', '1748779200', '2025-13-01T00:00:00Z']) {
      expect([nextCheckInAt, takes(activationResponseSchema, { ...activationAnswer, nextCheckInAt })]).toEqual([nextCheckInAt, false]);
    }
  });

  it('publish only Ed25519 signing keys', () => {
    const [, jwks] = answers.jwks;
    const key = jwks.keys[0];
    for (const change of [{ kty: 'RSA' }, { crv: 'X25519' }, { alg: 'RS256' }, { use: 'enc' }, { kid: undefined }]) {
      expect([change, takes(jwksSchema, { keys: [{ ...key, ...change }] })]).toEqual([change, false]);
    }
    expect(takes(jwksSchema, { keys: [] })).toBe(true);
  });
});

describe("a certificate's claims", () => {
  const claims = {
    iss: 'https://licenses.example.com',
    sub: randomUUID(),
    aud: 'desktop-business',
    iat: 1_748_779_200,
    exp: 1_749_384_000,
    lic: { keyId: randomUUID(), subscriptionId: randomUUID(), licenseType: null, model: 'per_device', seats: 25, state: 'active', licenseExpiresAt: at, features: [] },
  };

  it('name the installation, the product and the license, a grace end only when there is one', () => {
    expect(takes(certificateClaimsSchema, claims)).toBe(true);
    expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, state: 'grace', graceUntil: at } })).toBe(true);
    expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, keyId: null, subscriptionId: null } })).toBe(true);
  });

  it('hold a licensing model of the catalog and whole seconds and seats', () => {
    for (const model of ['per_device', 'per_user', 'concurrent_users', 'per_managed_device']) {
      expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, model } })).toBe(true);
    }
    expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, model: 'per_cpu' } })).toBe(false);
    expect(takes(certificateClaimsSchema, { ...claims, iat: 1.5 })).toBe(false);
    expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, seats: 2.5 } })).toBe(false);
    expect(takes(certificateClaimsSchema, { ...claims, lic: { ...claims.lic, graceUntil: 'soon' } })).toBe(false);
  });
});

describe('a nonce', () => {
  it('is 16 to 64 random bytes in base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
        expect(takes(nonceSchema, Buffer.from(bytes).toString('base64url'))).toBe(true);
      }),
    );
  });

  it('is refused shorter, longer, padded or in plain base64', () => {
    for (const n of [0, 8, 15, 65, 128]) expect([n, takes(nonceSchema, randomBytes(n).toString('base64url'))]).toEqual([n, false]);
    const nonce = randomBytes(16).toString('base64url');
    expect(takes(nonceSchema, `${nonce}==`)).toBe(false);
    expect(takes(nonceSchema, `${nonce.slice(0, 21)}+`)).toBe(false);
    expect(takes(nonceSchema, `${nonce.slice(0, 21)}/`)).toBe(false);
  });
});

describe('an offline request', () => {
  const common = { product: 'ras', fingerprint, publicKey, nonce: randomBytes(32).toString('base64url'), createdAt: at };
  const installationId = randomUUID();
  const requests = {
    'activation-request': { kind: 'activation-request', licenseKey: 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY', ...common },
    'refresh-request': { kind: 'refresh-request', installationId, ...common },
    'deactivation-request': { kind: 'deactivation-request', installationId, ...common },
  };

  it('is one of the three kinds, each as PROTOCOL.md writes it', () => {
    expect(OFFLINE_REQUEST_KINDS).toEqual(['activation-request', 'refresh-request', 'deactivation-request']);
    for (const kind of OFFLINE_REQUEST_KINDS) expect(offlineRequestSchema.parse(requests[kind]).kind).toBe(kind);
    expect(takes(offlineRequestSchema, { ...requests['refresh-request'], kind: 'transfer-request' })).toBe(false);
  });

  it('names a key to activate with, and an installation to refresh or deactivate, never the other', () => {
    const { licenseKey: _key, ...keyless } = requests['activation-request'];
    expect(takes(offlineRequestSchema, keyless)).toBe(false);
    expect(takes(offlineRequestSchema, { ...requests['activation-request'], installationId })).toBe(false);
    for (const kind of ['refresh-request', 'deactivation-request'] as const) {
      const { installationId: _id, ...anonymous } = requests[kind];
      expect(takes(offlineRequestSchema, anonymous)).toBe(false);
      expect(takes(offlineRequestSchema, { ...requests[kind], licenseKey: 'ABCDE-FGHIJ' })).toBe(false);
      expect(takes(offlineRequestSchema, { ...requests[kind], installationId: 'installation-1' })).toBe(false);
    }
  });

  it('carries a nonce, the moment it was made and the descriptive fields, and nothing unknown', () => {
    for (const kind of OFFLINE_REQUEST_KINDS) {
      const request = requests[kind];
      expect(takes(offlineRequestSchema, { ...request, name: 'lab-7', hardware: { cpuArch: 'x64' } })).toBe(true);
      for (const field of ['nonce', 'createdAt', 'fingerprint', 'publicKey', 'product']) {
        const { [field]: _dropped, ...rest } = request as Record<string, unknown>;
        expect([kind, field, takes(offlineRequestSchema, rest)]).toEqual([kind, field, false]);
      }
      expect(takes(offlineRequestSchema, { ...request, nonce: 'short' })).toBe(false);
      expect(takes(offlineRequestSchema, { ...request, createdAt: 'yesterday' })).toBe(false);
      expect(takes(offlineRequestSchema, { ...request, seats: 5 })).toBe(false);
    }
  });
});

describe('an offline answer', () => {
  const answer = { kind: 'activation', certificate: 'a.b.c', installationId: randomUUID(), fingerprint, nonce: 'n', publicKeyThumbprint: 'thumb', issuedAt: at };

  it('is an activation or a refresh, never a deactivation', () => {
    expect(OFFLINE_ANSWER_KINDS).toEqual(['activation', 'refresh']);
    for (const kind of OFFLINE_ANSWER_KINDS) expect(takes(offlineAnswerSchema, { ...answer, kind })).toBe(true);
    expect(takes(offlineAnswerSchema, { ...answer, kind: 'deactivation' })).toBe(false);
  });

  it('carries what the installation matches against its own state, and takes fields a newer server adds', () => {
    for (const field of ['certificate', 'installationId', 'fingerprint', 'nonce', 'publicKeyThumbprint', 'issuedAt']) {
      const { [field]: _dropped, ...rest } = answer as Record<string, unknown>;
      expect([field, takes(offlineAnswerSchema, rest)]).toEqual([field, false]);
    }
    expect(takes(offlineAnswerSchema, { ...answer, addedLater: 1 })).toBe(true);
  });
});

describe("the portal's offline file upload", () => {
  it('takes a file of 1 to 65,536 characters and nothing else', () => {
    expect(MAX_OFFLINE_FILE_CHARS).toBe(65_536);
    expect(takes(offlineUploadSchema, { file: '-----BEGIN KEYLINE ACTIVATION REQUEST-----' })).toBe(true);
    expect(takes(offlineUploadSchema, { file: 'x'.repeat(MAX_OFFLINE_FILE_CHARS) })).toBe(true);
    expect(takes(offlineUploadSchema, { file: 'x'.repeat(MAX_OFFLINE_FILE_CHARS + 1) })).toBe(false);
    expect(takes(offlineUploadSchema, { file: '' })).toBe(false);
    expect(takes(offlineUploadSchema, {})).toBe(false);
    expect(takes(offlineUploadSchema, { file: 'x', accountId: randomUUID() })).toBe(false);
  });

  it('answers with a file to carry back, except for a deactivation', () => {
    const installationId = randomUUID();
    expect(takes(offlineUploadAnswerSchema, { kind: 'activation', installationId, file: '-----BEGIN KEYLINE ACTIVATION-----', fileName: 'lab-7.activation' })).toBe(true);
    expect(takes(offlineUploadAnswerSchema, { kind: 'deactivation', installationId })).toBe(true);
    expect(takes(offlineUploadAnswerSchema, { kind: 'transfer', installationId })).toBe(false);
  });
});
