/**
 * License keys as people type them: 25 symbols of Crockford's base32 in five groups of five
 * ("7KQ2M-...-..."), 24 random symbols (120 bits) and a Luhn mod 32 check symbol. The alphabet
 * has no I, L, O or U; when typed, O reads as 0 and I or L as 1, so look-alikes are forgiven,
 * and any single mistyped symbol or swap of two neighbours fails the check before any lookup.
 */
export const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const KEY_RANDOM_SYMBOLS = 24;
const KEY_SYMBOLS = KEY_RANDOM_SYMBOLS + 1;
const GROUP = 5;
const N = KEY_ALPHABET.length;

const valueOf = new Map<string, number>([...KEY_ALPHABET].map((c, i) => [c, i]));
const lookAlikes: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * Luhn mod N: from the right, every second value is doubled and its base-N digits summed. With
 * the first factor 2 this sums a body to find its check value; with 1, it checks a whole key.
 */
function luhnSum(values: readonly number[], firstFactor: 1 | 2): number {
  let factor = firstFactor;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = factor * values[i]!;
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / N) + (addend % N);
  }
  return sum % N;
}

/** The check symbol's value for a body of symbol values; activation codes use the same scheme. */
export const luhnCheckValue = (body: readonly number[]) => (N - luhnSum(body, 2)) % N;
export const luhnValid = (values: readonly number[]) => luhnSum(values, 1) === 0;

/** Symbols as typed, made canonical: upper case, separators (dashes, spaces) dropped, look-alikes forgiven. */
export const typedSymbols = (input: string) =>
  input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[OIL]/g, (c) => lookAlikes[c]!);

/** The values of symbols of the alphabet, or null when one is not of it. */
export function symbolValues(symbols: string): number[] | null {
  const values: number[] = [];
  for (const c of symbols) {
    const v = valueOf.get(c);
    if (v === undefined) return null;
    values.push(v);
  }
  return values;
}

function group(symbols: string): string {
  return symbols.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

/** Builds a key from 24 random values 0..31 (the caller supplies the randomness). */
export function formatLicenseKey(randomValues: readonly number[]): string {
  if (randomValues.length !== KEY_RANDOM_SYMBOLS || randomValues.some((v) => !Number.isInteger(v) || v < 0 || v >= N)) {
    throw new RangeError(`a license key takes ${KEY_RANDOM_SYMBOLS} values 0-${N - 1}`);
  }
  const check = luhnCheckValue(randomValues);
  return group([...randomValues, check].map((v) => KEY_ALPHABET[v]).join(''));
}

export type ParsedKey = { ok: true; key: string; canonical: string } | { ok: false; code: 'key_malformed' | 'key_checksum_mismatch' };

/**
 * Reads a key as typed: any case, with or without dashes and spaces. `canonical` (no separators)
 * is what the server hashes to look the key up; `key` is the grouped form to show.
 */
export function parseLicenseKey(input: string): ParsedKey {
  const symbols = typedSymbols(input);
  if (symbols.length !== KEY_SYMBOLS) return { ok: false, code: 'key_malformed' };
  const values = symbolValues(symbols);
  if (!values) return { ok: false, code: 'key_malformed' };
  if (!luhnValid(values)) return { ok: false, code: 'key_checksum_mismatch' };
  return { ok: true, key: group(symbols), canonical: symbols };
}

/** Shows a key to someone who may see that it exists but not use it: the last group only. */
export function maskLicenseKey(key: string): string {
  return `•••••-•••••-•••••-•••••-${key.slice(-GROUP)}`;
}

/** A key told apart from the account's others by its last group, where showing all of it would only crowd: "…-7F3K9". */
export function keyEnding(key: string): string {
  return `…-${key.slice(-GROUP)}`;
}

/**
 * The last group of a key as someone reads it out to support: five symbols, or a whole key, in
 * any case, with look-alikes forgiven. Null when the text cannot be a key's last group.
 */
export function keyLastGroup(input: string): string | null {
  const whole = parseLicenseKey(input);
  if (whole.ok) return whole.canonical.slice(-GROUP);
  const symbols = input
    .trim()
    .toUpperCase()
    .replace(/[OIL]/g, (c) => lookAlikes[c]!);
  return symbols.length === GROUP && [...symbols].every((c) => valueOf.has(c)) ? symbols : null;
}
