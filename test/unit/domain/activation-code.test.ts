import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE_RANDOM_SYMBOLS, formatActivationCode, parseActivationCode } from '../../../src/domain/activation-code.js';
import { checkCodeUse, downloadLink, installInvitationStatus } from '../../../src/domain/install-invitation.js';
import { formatLicenseKey, KEY_ALPHABET, KEY_RANDOM_SYMBOLS, parseLicenseKey } from '../../../src/domain/license-key.js';

const randomValues = fc.array(fc.integer({ min: 0, max: 31 }), { minLength: CODE_RANDOM_SYMBOLS, maxLength: CODE_RANDOM_SYMBOLS });
const bodyOf = (code: string) => code.slice(3).replace(/-/g, '');

describe('activation code format', () => {
  it('is AC and four groups of five symbols carrying at least 80 random bits', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        expect(formatActivationCode(values)).toMatch(/^AC(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
      }),
    );
    expect(CODE_RANDOM_SYMBOLS * Math.log2(KEY_ALPHABET.length)).toBeGreaterThanOrEqual(80);
  });

  it('reads back whatever it wrote: any case, with or without the prefix and separators, look-alikes forgiven', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        const code = formatActivationCode(values);
        const canonical = bodyOf(code);
        for (const typed of [code, code.toLowerCase(), code.replace(/-/g, ''), canonical, ` ${code.replace(/-/g, ' ')} `, code.replace(/0/g, 'O').replace(/1/g, 'l')]) {
          expect(parseActivationCode(typed)).toEqual({ ok: true, code, canonical });
        }
      }),
    );
  });

  it('catches every single mistyped symbol before any lookup', () => {
    fc.assert(
      fc.property(randomValues, fc.nat({ max: 19 }), fc.integer({ min: 1, max: 31 }), (values, position, shift) => {
        const symbols = bodyOf(formatActivationCode(values));
        const wrong = KEY_ALPHABET[(KEY_ALPHABET.indexOf(symbols[position]!) + shift) % 32]!;
        expect(parseActivationCode(`AC${symbols.slice(0, position)}${wrong}${symbols.slice(position + 1)}`)).toEqual({ ok: false, problem: 'checksum_mismatch' });
      }),
      { numRuns: 2000 },
    );
  });

  it('is never taken for a license key, nor a license key for a code', () => {
    fc.assert(
      fc.property(randomValues, fc.array(fc.integer({ min: 0, max: 31 }), { minLength: KEY_RANDOM_SYMBOLS, maxLength: KEY_RANDOM_SYMBOLS }), (codeValues, keyValues) => {
        expect(parseLicenseKey(formatActivationCode(codeValues))).toEqual({ ok: false, code: 'key_malformed' });
        expect(parseActivationCode(formatLicenseKey(keyValues))).toEqual({ ok: false, problem: 'malformed' });
      }),
    );
  });

  it.each(['', 'AC', 'AC-ABCDE-FGHJK', 'AC-UUUUU-UUUUU-UUUUU-UUUUU', 'AC-*BCDE-FGHJK-MNPQR-STVWX', 'XY-ABCDE-FGHJK-MNPQR-STVWX'])('refuses %j as malformed', (input) => {
    expect(parseActivationCode(input)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses values outside the alphabet when formatting', () => {
    expect(() => formatActivationCode([32, ...Array(CODE_RANDOM_SYMBOLS - 1).fill(0)])).toThrow(RangeError);
    expect(() => formatActivationCode(Array(CODE_RANDOM_SYMBOLS - 1).fill(0))).toThrow(RangeError);
  });
});

describe('an invitation to install', () => {
  const now = new Date('2030-01-10T00:00:00Z');
  const later = new Date('2030-01-17T00:00:00Z');
  const pending = { used_at: null, revoked_at: null, expires_at: later };
  const machine = 'machine-0000000001';

  it('is pending until it expires; use and revocation are final', () => {
    expect(installInvitationStatus(pending, now)).toBe('pending');
    expect(installInvitationStatus(pending, later)).toBe('expired');
    expect(installInvitationStatus({ ...pending, revoked_at: now }, now)).toBe('revoked');
    expect(installInvitationStatus({ ...pending, used_at: now }, later)).toBe('used');
  });

  it('lets its code activate one machine, which may repeat its activation while it stays active', () => {
    expect(checkCodeUse(pending, null, machine, now)).toEqual({ ok: true });
    const used = { ...pending, used_at: now };
    expect(checkCodeUse(used, { fingerprint: machine, active: true }, machine, now)).toEqual({ ok: true });
    expect(checkCodeUse(used, { fingerprint: machine, active: false }, machine, now)).toMatchObject({ ok: false, code: 'code_used' });
    expect(checkCodeUse(used, { fingerprint: machine, active: true }, 'another-machine-0001', now)).toMatchObject({ ok: false, code: 'code_used' });
    expect(checkCodeUse(used, null, machine, now)).toMatchObject({ ok: false, code: 'code_used' });
  });

  it('stops its code at expiry or revocation', () => {
    expect(checkCodeUse(pending, null, machine, later)).toEqual({ ok: false, code: 'code_expired', reason: 'expired' });
    expect(checkCodeUse({ ...pending, revoked_at: now }, null, machine, now)).toEqual({ ok: false, code: 'code_expired', reason: 'revoked' });
  });

  it("links to the product's download with the person's code", () => {
    expect(downloadLink('https://licensing.example.com', 'desktop-business', 'AC-ABCDE-FGHJK-MNPQR-STVWX')).toBe(
      'https://licensing.example.com/downloads/desktop-business?activationCode=AC-ABCDE-FGHJK-MNPQR-STVWX',
    );
  });
});
