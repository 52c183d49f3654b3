import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { insertLicenseKey } from '../../src/data/repositories/license-keys.js';
import type { PlaceOrderInput } from '../../src/services/vendor/place-order.js';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import type { Executor } from '../../src/data/executor.js';
import { signedInUser, type ApiClient, type TestApp } from './harness.js';
import { issueOrder } from './licensing.js';
import type { KeyKind } from '../../src/domain/seat-pool.js';

/** A machine as an installation sees itself: a fingerprint and its own Ed25519 public key. */
export function machine(): { fingerprint: string; publicKey: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  return { fingerprint: `machine-${randomUUID()}`, publicKey: publicKey.export({ format: 'jwk' }).x! };
}

/** A vendor order registered into a customer's personal account, as the guides have it before any activation. */
export async function registeredOrder(t: TestApp, input: Partial<PlaceOrderInput> = {}) {
  const order = await issueOrder(t, input);
  const customer = await signedInUser(t, 'customer');
  const me = await customer.client.get('/api/v1/me');
  const accountId = me.body.accounts.find((a: { kind: string }) => a.kind === 'personal').id as string;
  const res = await customer.client.post(`/api/v1/accounts/${accountId}/subscriptions`, { licenseKey: order.key });
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(res.body)}`);
  return { ...order, accountId };
}

/** A sublicense put straight into the tables, reserved seats fenced off the way the sublicense service does it. */
export async function addSublicense(
  db: Executor,
  order: { subscription: { id: string }; accountId: string },
  itemId: string,
  kind: Exclude<KeyKind, 'primary'>,
  quota: number,
  expiresAt: Date | null = null,
) {
  const { key, hash } = generateLicenseKey();
  const row = await insertLicenseKey(db, {
    subscriptionId: order.subscription.id,
    itemId,
    accountId: order.accountId,
    kind,
    name: `${kind} ${quota}`,
    quota,
    keyHash: hash,
    keyText: key,
    expiresAt,
    createdBy: null,
  });
  if (kind === 'reserved') await db.updateTable('subscription_items').set({ reserved: sql`reserved + ${quota}` }).where('id', '=', itemId).execute();
  return { ...row, key };
}

export function activationBody(licenseKey: string, extra: Record<string, unknown> = {}) {
  return { product: 'desktop-business', licenseKey, ...machine(), ...extra };
}

export function activate(t: TestApp, body: Record<string, unknown>, client: ApiClient = t.client()) {
  return client.post('/licensing/v1/activations', body);
}

/** A client that calls as the installation with this token. */
export function asInstallation(t: TestApp, token: string): ApiClient {
  const client = t.client();
  client.bearer = token;
  return client;
}

/** What the database holds for a key and its item, to compare with the installations that are active. */
export async function counters(db: Executor, keyId: string, itemId: string) {
  const key = await db.selectFrom('license_keys').select('used').where('id', '=', keyId).executeTakeFirstOrThrow();
  const item = await db.selectFrom('subscription_items').select(['main_used', 'reserved']).where('id', '=', itemId).executeTakeFirstOrThrow();
  const active = await db
    .selectFrom('installations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('license_key_id', '=', keyId)
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();
  return { used: key.used, mainUsed: item.main_used, reserved: item.reserved, active: Number(active.n) };
}

/** The claims of a certificate, read without verifying (tests verify separately). */
export function claimsOf(certificate: string) {
  return JSON.parse(Buffer.from(certificate.split('.')[1]!, 'base64url').toString('utf8'));
}
