import { sql } from 'kysely';
import type { Payload } from '../../domain/payloads.js';
import type { Executor, InTransaction } from '../executor.js';
import type { Subscription, SubscriptionItem } from '../schema.js';
import { reviveTimestamps } from './installations.js';

// Editions: trials of an upgrade product beside a subscription, and conversions to it.

/** Records an account's trial of a product; false when the account had one already (once per account and product). */
export async function insertEditionTrial(
  db: Executor,
  t: { accountId: string; productCode: string; subscriptionId: string; besideSubscriptionId: string; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('edition_trials')
    .values({ account_id: t.accountId, product_code: t.productCode, subscription_id: t.subscriptionId, beside_subscription_id: t.besideSubscriptionId, created_at: t.now })
    .onConflict((oc) => oc.columns(['account_id', 'product_code']).doNothing())
    .returning('subscription_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function hasEditionTrial(db: Executor, accountId: string, productCode: string): Promise<boolean> {
  const row = await db.selectFrom('edition_trials').select('subscription_id').where('account_id', '=', accountId).where('product_code', '=', productCode).executeTakeFirst();
  return row !== undefined;
}

/** An edition trial with its subscription as it is now, and the subscription it was started beside. */
export interface EditionTrialRecord {
  productCode: string;
  trial: Subscription;
  beside: { id: string; name: string } | null;
}

function editionTrials(db: Executor) {
  return db
    .selectFrom('edition_trials as et')
    .innerJoin('subscriptions as s', 's.id', 'et.subscription_id')
    .leftJoin('subscriptions as b', 'b.id', 'et.beside_subscription_id')
    .select(['et.product_code', sql<Record<string, unknown>>`to_jsonb(s)`.as('trial'), 'b.id as beside_id', 'b.name as beside_name']);
}

function record(row: { product_code: string; trial: Record<string, unknown>; beside_id: string | null; beside_name: string | null } | undefined): EditionTrialRecord | null {
  if (!row) return null;
  return {
    productCode: row.product_code,
    trial: reviveTimestamps<Subscription>(row.trial)!,
    beside: row.beside_id !== null && row.beside_name !== null ? { id: row.beside_id, name: row.beside_name } : null,
  };
}

/** The account's trial of a product, if it ever had one. */
export async function findEditionTrial(db: Executor, accountId: string, productCode: string): Promise<EditionTrialRecord | null> {
  return record(await editionTrials(db).where('et.account_id', '=', accountId).where('et.product_code', '=', productCode).executeTakeFirst());
}

/** The edition trial a subscription is, if it is one. */
export async function findEditionTrialBySubscription(db: Executor, accountId: string, subscriptionId: string): Promise<EditionTrialRecord | null> {
  return record(await editionTrials(db).where('et.account_id', '=', accountId).where('et.subscription_id', '=', subscriptionId).executeTakeFirst());
}

/**
 * The subscription locked for its conversion: FOR NO KEY UPDATE, which the foreign key of an
 * installation being activated on it (KEY SHARE) does not wait for, so a conversion holding it
 * while it waits for that activation's key cannot deadlock with it.
 */
export function lockSubscriptionForConversion(trx: InTransaction, id: string): Promise<Subscription | undefined> {
  return trx.selectFrom('subscriptions').selectAll().where('id', '=', id).forNoKeyUpdate().executeTakeFirst();
}

/** A line becomes its upgrade product; its id, seats and keys stay. */
export function convertItem(trx: InTransaction, itemId: string, from: string, to: string): Promise<SubscriptionItem> {
  return trx
    .updateTable('subscription_items')
    .set({ product_code: to, converted_from: from })
    .where('id', '=', itemId)
    .where('product_code', '=', from)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The installations of a converted line run as its new product from their next check-in on (the
 * context a check-in reads joins the product by this column); how many of them are active.
 */
export async function convertInstallations(trx: InTransaction, subscriptionId: string, itemId: string, to: string): Promise<number> {
  const rows = await trx
    .updateTable('installations')
    .set({ product_code: to })
    .where('subscription_id', '=', subscriptionId)
    .where('item_id', '=', itemId)
    .returning('state')
    .execute();
  return rows.filter((r) => r.state === 'active').length;
}

/** A profile the keys of a subscription use, and whether keys of other subscriptions use it too. */
export interface KeysProfile {
  id: string;
  name: string;
  payloads: Payload[];
  version: number;
  content_hash: string;
  shared: boolean;
}

/** The profiles of one product that the subscription's keys use. */
export function listProfilesOfSubscriptionKeys(db: Executor, accountId: string, subscriptionId: string, productCode: string): Promise<KeysProfile[]> {
  return db
    .selectFrom('configuration_profiles as cp')
    .select(['cp.id', 'cp.name', 'cp.payloads', 'cp.version', 'cp.content_hash'])
    .select(
      sql<boolean>`EXISTS (SELECT 1 FROM license_keys o WHERE o.profile_id = cp.id AND o.subscription_id <> ${subscriptionId})`.as('shared'),
    )
    .where('cp.account_id', '=', accountId)
    .where('cp.product_code', '=', productCode)
    .where((eb) => eb.exists(eb.selectFrom('license_keys as k').select('k.id').whereRef('k.profile_id', '=', 'cp.id').where('k.subscription_id', '=', subscriptionId)))
    .orderBy('cp.id')
    .execute();
}

/** A profile now serves another product of the account (every key using it is being converted). */
export async function moveProfile(trx: InTransaction, profileId: string, productCode: string, now: Date): Promise<void> {
  await trx.updateTable('configuration_profiles').set({ product_code: productCode, updated_at: now }).where('id', '=', profileId).execute();
}

/** The subscription's keys on one profile move to another; the keys of other subscriptions stay. */
export async function reassignSubscriptionKeys(trx: InTransaction, subscriptionId: string, fromId: string, toId: string, now: Date): Promise<void> {
  await trx.updateTable('license_keys').set({ profile_id: toId, updated_at: now }).where('subscription_id', '=', subscriptionId).where('profile_id', '=', fromId).execute();
}

/** The names of the account's profiles in lower case, as their unique index compares them. */
export async function profileNames(db: Executor, accountId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('configuration_profiles').select(sql<string>`lower(name)`.as('name')).where('account_id', '=', accountId).execute();
  return new Set(rows.map((r) => r.name));
}

/** How many configuration profiles of a product the account has. */
export async function countProfiles(db: Executor, accountId: string, productCode: string): Promise<number> {
  const row = await db
    .selectFrom('configuration_profiles')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('product_code', '=', productCode)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A trial becomes a paid subscription: its channel, terms and expiry, and its line's seats. */
export async function makeSubscriptionPermanent(
  trx: InTransaction,
  s: { id: string; itemId: string; quantity: number; channel: 'online' | 'reseller'; supportPlan: Subscription['support_plan']; expiresAt: Date; name: string; now: Date },
): Promise<{ subscription: Subscription; item: SubscriptionItem }> {
  const subscription = await trx
    .updateTable('subscriptions')
    .set({ channel: s.channel, support_plan: s.supportPlan, expires_at: s.expiresAt, name: s.name, updated_at: s.now })
    .where('id', '=', s.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const item = await trx.updateTable('subscription_items').set({ quantity: s.quantity }).where('id', '=', s.itemId).returningAll().executeTakeFirstOrThrow();
  return { subscription, item };
}
