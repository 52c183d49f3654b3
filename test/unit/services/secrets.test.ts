import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretKeyOf, SecretUnreadable } from '../../../src/services/security/secrets.js';

describe('secrets kept encrypted', () => {
  const key = randomBytes(32);

  it('open with the key they were sealed with, and never show the secret in what is stored', () => {
    const sealed = sealSecret(key, 'whsec_c2VjcmV0');
    expect(sealed).not.toContain('whsec');
    expect(sealed).toMatch(/^v1\./);
    expect(openSecret(key, sealed)).toBe('whsec_c2VjcmV0');
    // A fresh nonce each time: the same secret seals differently.
    expect(sealSecret(key, 'whsec_c2VjcmV0')).not.toBe(sealed);
  });

  it('do not open with another key, altered, or in an unknown format', () => {
    const sealed = sealSecret(key, 'whsec_c2VjcmV0');
    expect(() => openSecret(randomBytes(32), sealed)).toThrow(SecretUnreadable);
    const [v, iv, data, tag] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => openSecret(key, [v, iv, flipped.toString('base64url'), tag].join('.'))).toThrow(SecretUnreadable);
    expect(() => openSecret(key, 'plain-text')).toThrow(SecretUnreadable);
  });

  it('use KEYLINE_SECRET_KEY when given, else one key file in the data folder that every caller shares', async () => {
    expect(await secretKeyOf({ secretKey: key, dataDir: '/nonexistent' })).toBe(key);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-secret-'));
    const [a, b] = await Promise.all([secretKeyOf({ secretKey: undefined, dataDir }), secretKeyOf({ secretKey: undefined, dataDir: `${dataDir}/` })]);
    expect(a).toHaveLength(32);
    expect(b).toEqual(a);
    const file = path.join(dataDir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(['secret.key']);
  });
});
