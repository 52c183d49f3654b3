import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';

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

// Secrets the server must use again later (a webhook's signing secret: it signs with it) cannot
// be kept as a hash; they are encrypted with AES-256-GCM under the server's secret key, so a copy
// of the database alone does not give them away.

const KEY_FILE = 'secret.key';
const SEALED_VERSION = 'v1';
const keys = new Map<string, Promise<Buffer>>();

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${where} does not hold a 32-byte key in base64`);
  return key;
}

const errorCode = (err: unknown) => (err as { code?: unknown } | null)?.code;

/**
 * The key file is made once, atomically (written aside, then linked into place), so processes
 * starting together on one data folder agree on one key.
 */
async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  try {
    return decodeKey(await fs.readFile(file, 'utf8'), file);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const aside = `${file}.${randomUUID()}`;
  await fs.writeFile(aside, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    await fs.link(aside, file);
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
  } finally {
    await fs.unlink(aside);
  }
  return decodeKey(await fs.readFile(file, 'utf8'), file);
}

/**
 * The server's secret key: KEYLINE_SECRET_KEY, or else the key file in the data folder, made on
 * first use. Servers on several machines sharing one database must all be given the same
 * KEYLINE_SECRET_KEY.
 */
export function secretKeyOf(config: Pick<Config, 'secretKey' | 'dataDir'>): Promise<Buffer> {
  if (config.secretKey) return Promise.resolve(config.secretKey);
  let key = keys.get(config.dataDir);
  if (!key) {
    key = readOrCreateKeyFile(path.join(config.dataDir, KEY_FILE));
    keys.set(config.dataDir, key);
    key.catch(() => keys.delete(config.dataDir));
  }
  return key;
}

export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [SEALED_VERSION, iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export class SecretUnreadable extends Error {}

/** The secret back; SecretUnreadable when it was sealed under another key (KEYLINE_SECRET_KEY differs) or altered. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== SEALED_VERSION || !iv || !data || !tag) throw new SecretUnreadable('the stored secret is not in a known format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadable("the stored secret does not open with this server's secret key (KEYLINE_SECRET_KEY differs from the one it was stored with)");
  }
}
