import { randomInt } from 'node:crypto';
import { CODE_RANDOM_SYMBOLS, formatActivationCode } from '../../domain/activation-code.js';
import { formatLicenseKey, KEY_RANDOM_SYMBOLS } from '../../domain/license-key.js';
import { hashSecret } from '../security/secrets.js';

/** A new license key from the system's CSPRNG, with the hash it is looked up by. */
export function generateLicenseKey(): { key: string; hash: string } {
  const key = formatLicenseKey(Array.from({ length: KEY_RANDOM_SYMBOLS }, () => randomInt(32)));
  return { key, hash: licenseKeyHash(key.replace(/-/g, '')) };
}

/** The lookup hash of a key's canonical form (no separators, upper case). */
export function licenseKeyHash(canonical: string): string {
  return hashSecret(`license-key:${canonical}`);
}


/** A new temporary activation code from the system's CSPRNG, with the hash it is looked up by. */
export function generateActivationCode(): { code: string; hash: string } {
  const code = formatActivationCode(Array.from({ length: CODE_RANDOM_SYMBOLS }, () => randomInt(32)));
  return { code, hash: activationCodeHash(code.replace(/-/g, '').slice(2)) };
}

/** The lookup hash of a code's canonical form (its 20 symbols, no prefix or separators). */
export function activationCodeHash(canonical: string): string {
  return hashSecret(`activation-code:${canonical}`);
}
