import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A random secret for a URL or a header: 32 bytes, base64url, with a prefix that says what it is. */
export function newSecret(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Secrets are stored as their SHA-256: they are high-entropy, so a slow hash adds nothing. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function randomDigits(count: number): number[] {
  return Array.from({ length: count }, () => randomInt(10));
}
