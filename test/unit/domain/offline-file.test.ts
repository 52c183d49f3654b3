import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeOfflineRequest } from '../../../src/client/offline.js';
import { newIdentity } from '../../../src/client/state.js';
import { AppError } from '../../../src/domain/errors.js';
import type { Jwks } from '../../../src/domain/licensing-protocol.js';
import { armor, ARMOR_KINDS, dearmor, isOfflineFileExpired, offlineNoncesNeededSince, okpThumbprint, readOfflineAnswer, readOfflineRequest, signCompactJws } from '../../../src/domain/offline-file.js';

const identity = await newIdentity('unit-test-machine-0001');
const details = { name: 'lab-7', hardware: { cpuArch: 'x64' } };
const request = (kind: 'activation-request' | 'refresh-request' | 'deactivation-request' = 'activation-request') =>
  writeOfflineRequest(identity, {
    kind,
    product: 'desktop-business',
    licenseKey: 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY',
    installationId: '6a1f1c0e-5b7e-4c1a-9d55-0d6c2f9b8e11',
    details,
  }).text;

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
};

describe('the armor', () => {
  it('wraps base64 at 64 columns between BEGIN and END lines, and reads back', () => {
    const content = 'x'.repeat(200);
    const text = armor('REFRESH', content);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN KEYLINE REFRESH-----');
    expect(lines.at(-1)).toBe('-----END KEYLINE REFRESH-----');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(dearmor(text)).toEqual({ kind: 'REFRESH', content });
  });

  it('tolerates CRLF, spaces at line ends and blank lines around the block', () => {
    const text = armor('ACTIVATION', 'hello world, a little content');
    const mangled = `\r\n\n  ${text.split('\n').join('  \r\n')}\n\n`;
    expect(dearmor(mangled)).toEqual({ kind: 'ACTIVATION', content: 'hello world, a little content' });
  });

  it.each([
    ['no block at all', 'hello'],
    ['an unknown kind', armor('ACTIVATION', 'abc').replaceAll('ACTIVATION', 'LICENSE')],
    ['END of another kind', armor('ACTIVATION', 'abc').replace('END KEYLINE ACTIVATION', 'END KEYLINE REFRESH')],
    ['no END line', armor('ACTIVATION', 'abc').split('\n').slice(0, -2).join('\n')],
    ['an empty body', '-----BEGIN KEYLINE ACTIVATION-----\n-----END KEYLINE ACTIVATION-----'],
    ['a short inner line', armor('ACTIVATION', 'y'.repeat(100)).replace(/^(.{64})$/m, (l) => l.slice(1))],
    ['a blank line inside', armor('ACTIVATION', 'y'.repeat(100)).replace('\n', '\n\n')],
    ['non-canonical base64', '-----BEGIN KEYLINE ACTIVATION-----\nYR==\n-----END KEYLINE ACTIVATION-----'],
    ['bytes that are not text', `-----BEGIN KEYLINE ACTIVATION-----\n${Buffer.from([0xff, 0xfe, 0x41]).toString('base64')}\n-----END KEYLINE ACTIVATION-----`],
    ['too long', armor('ACTIVATION', 'z'.repeat(60_000))],
  ])('refuses %s as file_malformed', (_label, text) => {
    expect(codeOf(() => dearmor(text))).toBe('file_malformed');
  });
});

describe('a request file', () => {
  it('reads back what the installation signed', () => {
    const read = readOfflineRequest(request());
    expect(read).toMatchObject({ kind: 'activation-request', product: 'desktop-business', fingerprint: identity.fingerprint, publicKey: identity.publicKey, ...details });
    expect(read.nonce).toMatch(/^[\w-]{22}$/);
    expect(readOfflineRequest(request('refresh-request'))).toMatchObject({ kind: 'refresh-request', installationId: '6a1f1c0e-5b7e-4c1a-9d55-0d6c2f9b8e11' });
    expect(readOfflineRequest(request()).nonce).not.toBe(read.nonce);
  });

  it('is refused when its content was changed, even re-armored', () => {
    const { content } = dearmor(request());
    const [h, p, s] = content.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, product: 'ras' })).toString('base64url'), s].join('.');
    expect(codeOf(() => readOfflineRequest(armor('ACTIVATION REQUEST', forged)))).toBe('file_signature_invalid');
  });

  it('is refused when signed by another key than the one it encloses', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const payload = readOfflineRequest(request());
    expect(codeOf(() => readOfflineRequest(armor('ACTIVATION REQUEST', signCompactJws({}, payload, other))))).toBe('file_signature_invalid');
  });

  it('is refused when its header lists critical extensions (RFC 7515 §4.1.11: Keyline understands none), or a malformed crit', () => {
    const payload = readOfflineRequest(request());
    const key = createPrivateKey(identity.privateKeyPem);
    const signedWith = (header: Record<string, unknown>) => armor('ACTIVATION REQUEST', signCompactJws({ typ: 'keyline-offline-request', ...header }, payload, key));
    expect(codeOf(() => readOfflineRequest(signedWith({})))).toBe('ok');
    for (const crit of [['exp'], ['b64'], [], 'exp', [1], null, {}]) {
      expect(codeOf(() => readOfflineRequest(signedWith({ crit, exp: 0, b64: true }))), JSON.stringify(crit)).toBe('file_malformed');
    }
    fc.assert(
      fc.property(fc.jsonValue(), (crit) => codeOf(() => readOfflineRequest(signedWith({ crit }))) === 'file_malformed'),
      { numRuns: 50 },
    );
  });

  it('is refused when the armor names another kind than its content, or is an answer', () => {
    expect(codeOf(() => readOfflineRequest(request().replaceAll('ACTIVATION REQUEST', 'REFRESH REQUEST')))).toBe('file_malformed');
    expect(codeOf(() => readOfflineRequest(request().replaceAll('ACTIVATION REQUEST', 'ACTIVATION')))).toBe('file_malformed');
  });
});

describe('an answer file', () => {
  const server = generateKeyPairSync('ed25519');
  const jwks: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: server.publicKey.export({ format: 'jwk' }).x!, kid: 'k1', alg: 'EdDSA', use: 'sig' }] };
  const answer = {
    kind: 'activation' as const,
    certificate: 'a.b.c',
    installationId: 'i-1',
    fingerprint: identity.fingerprint,
    nonce: 'n'.repeat(22),
    publicKeyThumbprint: okpThumbprint(identity.publicKey),
    issuedAt: new Date().toISOString(),
  };
  const file = (kid: string, key = server.privateKey) => armor('ACTIVATION', signCompactJws({ kid }, answer, key));

  it("verifies with the server's key its header names", () => {
    expect(readOfflineAnswer(file('k1'), jwks)).toEqual(answer);
  });

  it('is refused when signed by a key the installation does not know, or another key under that name', () => {
    expect(codeOf(() => readOfflineAnswer(file('k2'), jwks))).toBe('file_signature_invalid');
    expect(codeOf(() => readOfflineAnswer(file('k1', generateKeyPairSync('ed25519').privateKey), jwks))).toBe('file_signature_invalid');
    expect(codeOf(() => readOfflineAnswer(request(), jwks))).toBe('file_malformed');
  });

  it('is refused by the installation when its header lists a critical extension, though the signature holds', () => {
    const withCrit = armor('ACTIVATION', signCompactJws({ kid: 'k1', crit: ['exp'], exp: 0 }, answer, server.privateKey));
    expect(codeOf(() => readOfflineAnswer(withCrit, jwks))).toBe('file_malformed');
  });
});

describe('the age of a file', () => {
  it('is good for 30 days, and not from the future', () => {
    const made = new Date('2026-01-01T00:00:00Z');
    expect(isOfflineFileExpired(made, new Date('2026-01-31T00:00:00Z'))).toBe(false);
    expect(isOfflineFileExpired(made, new Date('2026-01-31T00:00:01Z'))).toBe(true);
    expect(isOfflineFileExpired(new Date('2026-01-03T00:00:00Z'), made)).toBe(true);
  });

  it('outlives its nonce: a file accepted before the nonces still needed is refused as expired', () => {
    const DAY = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * DAY }), fc.integer({ min: -30 * DAY, max: DAY }), fc.integer({ min: 0, max: 60 * DAY }), (acceptedMs, madeOffset, laterBy) => {
        const accepted = new Date(Date.UTC(2026, 0, 1) + acceptedMs);
        const made = new Date(accepted.getTime() + madeOffset);
        const now = new Date(accepted.getTime() + laterBy);
        // A file the upload took (neither expired nor from too far ahead), whose nonce a purge at `now` deletes.
        fc.pre(!isOfflineFileExpired(made, accepted) && accepted < offlineNoncesNeededSince(now));
        expect(isOfflineFileExpired(made, now)).toBe(true);
      }),
    );
    // One day less and a file made a day ahead could still come back.
    const accepted = new Date('2026-01-01T00:00:00Z');
    const madeAhead = new Date('2026-01-02T00:00:00Z');
    expect(isOfflineFileExpired(madeAhead, new Date('2026-01-31T12:00:00Z'))).toBe(false);
    expect(accepted < offlineNoncesNeededSince(new Date('2026-01-31T12:00:00Z'))).toBe(false);
  });
});

describe('fuzzing the parser', () => {
  const STABLE = ['file_malformed', 'file_signature_invalid'];
  const original = request();
  const originalPayload = readOfflineRequest(original);

  /** Anything the parser says is either a stable refusal or the very request that was signed. */
  const judge = (text: string) => {
    let read: unknown;
    try {
      read = readOfflineRequest(text);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(STABLE).toContain((err as AppError).code);
      return;
    }
    expect(read).toEqual(originalPayload);
  };

  it('refuses random text with a stable code and never crashes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...ARMOR_KINDS).chain((k) => fc.string().map((s) => armor(k, s)))), (text) => {
        expect(STABLE).toContain(codeOf(() => readOfflineRequest(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a mutated file as anything but the original', () => {
    const lines = original.split('\n');
    const mutation = fc.oneof(
      fc.nat({ max: original.length - 1 }).map((n) => original.slice(0, n)),
      fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 0x7f })).map(([i, c]) => original.slice(0, i) + String.fromCharCode(c) + original.slice(i + 1)),
      fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, bit]) => original.slice(0, i) + String.fromCharCode(original.charCodeAt(i) ^ bit) + original.slice(i + 1)),
      fc.nat({ max: lines.length - 1 }).map((i) => lines.filter((_, j) => j !== i).join('\n')),
      fc.nat({ max: lines.length - 1 }).map((i) => lines.flatMap((l, j) => (j === i ? [l, l] : [l])).join('\n')),
      fc.constantFrom(...ARMOR_KINDS).map((k) => original.replaceAll('ACTIVATION REQUEST', k)),
      fc.constantFrom(...ARMOR_KINDS).map((k) => original.replace('BEGIN KEYLINE ACTIVATION REQUEST', `BEGIN KEYLINE ${k}`)),
    );
    fc.assert(fc.property(mutation, judge), { numRuns: 2000 });
  });
});
