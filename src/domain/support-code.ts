/**
 * Business account support codes: two groups of five digits ("19240-41140"), read out over the
 * phone to the vendor's support. Random so they reveal nothing about how many accounts exist.
 */
export const SUPPORT_CODE_PATTERN = /^\d{5}-\d{5}$/;

/** Builds a code from ten random digits (values 0..9), the source of randomness being the caller's. */
export function formatSupportCode(digits: readonly number[]): string {
  if (digits.length !== 10 || digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
    throw new RangeError('a support code takes exactly ten digits 0-9');
  }
  return `${digits.slice(0, 5).join('')}-${digits.slice(5).join('')}`;
}
