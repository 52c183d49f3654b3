import { KEY_ALPHABET, luhnCheckValue, luhnValid, symbolValues, typedSymbols } from './license-key.js';

/**
 * Temporary activation codes from invitations to install: "AC-" and four groups of five symbols
 * of the license keys' alphabet, 19 random symbols (95 bits) and a Luhn mod 32 check symbol. The
 * prefix and the four groups tell a code from a 25-symbol license key at a glance; typed in any
 * case, with or without the prefix and separators, look-alikes forgiven, and a single mistyped
 * symbol or swap of neighbours fails the check before any lookup.
 */
export const CODE_PREFIX = 'AC';
export const CODE_RANDOM_SYMBOLS = 19;
const CODE_SYMBOLS = CODE_RANDOM_SYMBOLS + 1;
const GROUP = 5;

/** Builds a code from 19 random values 0..31 (the caller supplies the randomness). */
export function formatActivationCode(randomValues: readonly number[]): string {
  if (randomValues.length !== CODE_RANDOM_SYMBOLS || randomValues.some((v) => !Number.isInteger(v) || v < 0 || v >= KEY_ALPHABET.length)) {
    throw new RangeError(`an activation code takes ${CODE_RANDOM_SYMBOLS} values 0-${KEY_ALPHABET.length - 1}`);
  }
  const symbols = [...randomValues, luhnCheckValue(randomValues)].map((v) => KEY_ALPHABET[v]).join('');
  return `${CODE_PREFIX}-${symbols.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-')}`;
}

export type ParsedCode = { ok: true; code: string; canonical: string } | { ok: false; problem: 'malformed' | 'checksum_mismatch' };

/**
 * Reads a code as typed. `canonical` (the 20 symbols, no prefix) is what the server hashes to
 * look the code up; `code` is the form to show.
 */
export function parseActivationCode(input: string): ParsedCode {
  const typed = typedSymbols(input);
  const symbols = typed.length === CODE_PREFIX.length + CODE_SYMBOLS && typed.startsWith(CODE_PREFIX) ? typed.slice(CODE_PREFIX.length) : typed;
  if (symbols.length !== CODE_SYMBOLS) return { ok: false, problem: 'malformed' };
  const values = symbolValues(symbols);
  if (!values) return { ok: false, problem: 'malformed' };
  if (!luhnValid(values)) return { ok: false, problem: 'checksum_mismatch' };
  return { ok: true, code: formatActivationCode(values.slice(0, CODE_RANDOM_SYMBOLS)), canonical: symbols };
}
