import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { lockAcrossProcesses } from '../../data/repositories/process-locks.js';
import {
  findActiveSigningKey,
  insertSigningKey,
  listPublicSigningKeys,
  type SigningKeyRow,
} from '../../data/repositories/signing-keys.js';
import type { CertificateClaims } from '../../domain/certificate.js';
import type { ConfigurationDocument, Jwks, OfflineAnswer } from '../../domain/licensing-protocol.js';
import { okpThumbprint, signCompactJws } from '../../domain/offline-file.js';
import type { Deps } from '../context.js';
import { runTransaction } from '../../data/transactions.js';

/**
 * The server's Ed25519 key ring. The signing_keys table is the truth; each process keeps the
 * active key in memory for a few minutes so that signing a certificate costs no query, and picks
 * up a rotation made by another process when that time is up.
 */
export interface Signer {
  kid: string;
  privateKey: KeyObject;
}

const CACHE_MS = 5 * 60_000;
const cache = new WeakMap<Deps['db'], Signer & { loadedAt: number }>();

function newSigningKey(): SigningKeyRow {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const kid = okpThumbprint(x);
  return {
    kid,
    private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    public_jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' },
  };
}

/** Makes the first key on first use; processes racing to do it end up with one key. */
async function ensureSigningKey(deps: Deps): Promise<SigningKeyRow> {
  const existing = await findActiveSigningKey(deps.db);
  if (existing) return existing;
  return runTransaction(deps.db, async (trx) => {
    await lockAcrossProcesses(trx, 'signing_keys');
    const found = await findActiveSigningKey(trx);
    if (found) return found;
    const created = newSigningKey();
    await insertSigningKey(trx, created, deps.clock.now());
    return created;
  });
}

export async function activeSigner(deps: Deps): Promise<Signer> {
  const now = deps.clock.now().getTime();
  const cached = cache.get(deps.db);
  if (cached && now - cached.loadedAt < CACHE_MS && now >= cached.loadedAt) return cached;
  const row = await ensureSigningKey(deps);
  const signer = { kid: row.kid, privateKey: createPrivateKey(row.private_key_pem), loadedAt: now };
  cache.set(deps.db, signer);
  return signer;
}

/** A compact JWS (RFC 7515) with EdDSA (RFC 8037), made with node:crypto: it is on every activation and check-in. */
export function signCertificate(signer: Signer, claims: CertificateClaims): string {
  return signCompactJws({ typ: 'JWT', kid: signer.kid }, claims, signer.privateKey);
}

/** The body of an offline file the server writes: signed like a certificate, with its own type. */
export function signOfflineAnswer(signer: Signer, answer: OfflineAnswer): string {
  return signCompactJws({ typ: 'keyline-offline', kid: signer.kid }, answer, signer.privateKey);
}

/** A configuration document: signed like a certificate, with its own type, so neither passes for the other. */
export function signConfigurationDocument(signer: Signer, document: ConfigurationDocument): string {
  return signCompactJws({ typ: 'keyline-configuration', kid: signer.kid }, document, signer.privateKey);
}

/** The public keys installations verify with; there is always at least the active one. */
export async function publicKeySet(deps: Deps): Promise<Jwks> {
  await activeSigner(deps);
  return { keys: (await listPublicSigningKeys(deps.db)) as Jwks['keys'] };
}
