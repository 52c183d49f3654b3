import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLicenseKey, KEY_ALPHABET, KEY_RANDOM_SYMBOLS, keyEnding, keyLastGroup, maskLicenseKey, parseLicenseKey } from '../../../src/domain/license-key.js';

const randomValues = fc.array(fc.integer({ min: 0, max: 31 }), { minLength: KEY_RANDOM_SYMBOLS, maxLength: KEY_RANDOM_SYMBOLS });

describe('license key format', () => {
  it('is five groups of five symbols from an alphabet without I, L, O or U', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        const key = formatLicenseKey(values);
        expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
      }),
    );
    expect(KEY_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('carries 120 random bits', () => {
    expect(KEY_RANDOM_SYMBOLS * Math.log2(KEY_ALPHABET.length)).toBeGreaterThanOrEqual(100);
  });

  it('reads back whatever it wrote, typed in any case, with or without separators', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        const key = formatLicenseKey(values);
        for (const typed of [key, key.toLowerCase(), key.replace(/-/g, ''), ` ${key.replace(/-/g, ' ')} `]) {
          expect(parseLicenseKey(typed)).toEqual({ ok: true, key, canonical: key.replace(/-/g, '') });
        }
      }),
    );
  });

  it('forgives O for 0 and I or L for 1', () => {
    const key = formatLicenseKey(Array.from({ length: KEY_RANDOM_SYMBOLS }, (_, i) => i % 2));
    const typo = key.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 ? 'I' : 'l'));
    expect(parseLicenseKey(typo)).toMatchObject({ ok: true, key });
  });

  it('catches every single mistyped symbol', () => {
    fc.assert(
      fc.property(randomValues, fc.nat({ max: 24 }), fc.integer({ min: 1, max: 31 }), (values, position, shift) => {
        const symbols = formatLicenseKey(values).replace(/-/g, '');
        const wrong = KEY_ALPHABET[(KEY_ALPHABET.indexOf(symbols[position]!) + shift) % 32]!;
        const typed = symbols.slice(0, position) + wrong + symbols.slice(position + 1);
        expect(parseLicenseKey(typed)).toEqual({ ok: false, code: 'key_checksum_mismatch' });
      }),
      { numRuns: 2000 },
    );
  });

  it('catches swapped neighbours except the rare pairs Luhn mod 32 cannot tell apart', () => {
    let caught = 0;
    let swaps = 0;
    fc.assert(
      fc.property(randomValues, fc.nat({ max: 23 }), (values, i) => {
        const symbols = formatLicenseKey(values).replace(/-/g, '');
        if (symbols[i] === symbols[i + 1]) return;
        swaps++;
        const typed = symbols.slice(0, i) + symbols[i + 1] + symbols[i] + symbols.slice(i + 2);
        if (!parseLicenseKey(typed).ok) caught++;
      }),
      { numRuns: 3000 },
    );
    expect(caught / swaps).toBeGreaterThan(0.95);
  });

  it.each([
    ['', 'key_malformed'],
    ['ABCDE-FGHJK', 'key_malformed'],
    ['UUUUU-UUUUU-UUUUU-UUUUU-UUUUU', 'key_malformed'],
    ['ABCDE-FGHJK-MNPQR-STVWX-YZ012-3', 'key_malformed'],
    ['*BCDE-FGHJK-MNPQR-STVWX-YZ012', 'key_malformed'],
  ])('refuses %j as %s', (input, code) => {
    expect(parseLicenseKey(input)).toEqual({ ok: false, code });
  });

  it('refuses values outside the alphabet when formatting', () => {
    expect(() => formatLicenseKey([32, ...Array(23).fill(0)])).toThrow(RangeError);
    expect(() => formatLicenseKey(Array(23).fill(0))).toThrow(RangeError);
  });

  it('masks all but the last group', () => {
    const key = formatLicenseKey(Array(24).fill(5));
    expect(maskLicenseKey(key)).toBe(`•••••-•••••-•••••-•••••-${key.slice(-5)}`);
  });

  it('ends a key with its last group, for pickers', () => {
    const key = formatLicenseKey(Array(24).fill(5));
    expect(keyEnding(key)).toBe(`…-${key.slice(-5)}`);
    expect(keyEnding(maskLicenseKey(key))).toBe(keyEnding(key));
  });
});

describe("a key's last group, as read out to support", () => {
  const key = formatLicenseKey(Array.from({ length: KEY_RANDOM_SYMBOLS }, (_, i) => (i * 7) % 32));

  it('comes from five symbols or a whole key, in any case, look-alikes forgiven', () => {
    const last = key.slice(-5);
    expect(keyLastGroup(last.toLowerCase())).toBe(last);
    expect(keyLastGroup(` ${key.toLowerCase().replace(/-/g, '')} `)).toBe(last);
    expect(keyLastGroup('0O1IL')).toBe('00111');
  });

  it('is not found in text that cannot be one', () => {
    for (const text of ['ABCD', 'ABCDEF', 'AB-CD', 'ABCU1', 'jane@example.com']) expect(keyLastGroup(text)).toBeNull();
  });
});
