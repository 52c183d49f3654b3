import { randomInt } from 'node:crypto';
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

