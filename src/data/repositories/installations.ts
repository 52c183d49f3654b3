import { sql } from 'kysely';
import type { Installation, LicenseKey, Subscription, SubscriptionItem } from '../schema.js';
import type { ProductRow } from './products.js';
import type { Executor } from './users.js';

/** What an installation says about itself, as stored; a field left out of a check-in keeps its value. */
export interface InstallationDetails {
  name?: string | null;
  app_version?: string | null;
  host_os?: string | null;
  user_name?: string | null;
  hardware?: Record<string, unknown>;
  site?: Record<string, unknown>;
}

const detailColumns = (d: InstallationDetails) => ({
  ...(d.name !== undefined ? { name: d.name } : {}),
  ...(d.app_version !== undefined ? { app_version: d.app_version } : {}),
  ...(d.host_os !== undefined ? { host_os: d.host_os } : {}),
  ...(d.user_name !== undefined ? { user_name: d.user_name } : {}),
  ...(d.hardware !== undefined ? { hardware: JSON.stringify(d.hardware) } : {}),
  ...(d.site !== undefined ? { site: JSON.stringify(d.site) } : {}),
});

export interface NewInstallation {
  accountId: string | null;
  subscriptionId: string | null;
  itemId: string | null;
  licenseKeyId: string | null;
  productCode: string;
  licenseType: string | null;
  fingerprint: string;
  publicKey: string;
  tokenHash: string;
  trial: boolean;
  holdsSeat: boolean;
  details: InstallationDetails;
  now: Date;
  nextCheckInAt: Date;
  /** Activated with offline files. */
  offline?: boolean;
  /** Who activated it: the invited person, the member who uploaded the offline file, or the product's user. */
  activatedBy?: string | null;
}

export function insertInstallation(db: Executor, i: NewInstallation): Promise<Installation> {
  return db
    .insertInto('installations')
    .values({
      account_id: i.accountId,
      subscription_id: i.subscriptionId,
      item_id: i.itemId,
      license_key_id: i.licenseKeyId,
      product_code: i.productCode,
      license_type: i.licenseType,
      fingerprint: i.fingerprint,
      public_key: i.publicKey,
      token_hash: i.tokenHash,
      trial: i.trial,
      holds_seat: i.holdsSeat,
      ...(i.offline ? { offline: true } : {}),
      ...detailColumns(i.details),
      activated_by: i.activatedBy ?? null,
      activated_at: i.now,
      last_seen_at: i.now,
      next_check_in_at: i.nextCheckInAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** True for the error of a second active installation of one fingerprint on one key (a racing retry). */
export function isDuplicateActivation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'installations_one_active_per_key';
}

export function findActiveInstallation(db: Executor, keyId: string, fingerprint: string): Promise<Installation | undefined> {
  return db
    .selectFrom('installations')
    .selectAll()
    .where('license_key_id', '=', keyId)
    .where('fingerprint', '=', fingerprint)
    .where('state', '=', 'active')
    .executeTakeFirst();
}

/** An activation repeated by the same machine: a new token and key pair, the same installation and seat. */
export function reissueActivation(
  db: Executor,
  id: string,
  r: { tokenHash: string; publicKey: string; details: InstallationDetails; now: Date; nextCheckInAt: Date; offline: boolean },
): Promise<Installation> {
  return db
    .updateTable('installations')
    .set({ token_hash: r.tokenHash, public_key: r.publicKey, offline: r.offline, ...detailColumns(r.details), last_seen_at: r.now, next_check_in_at: r.nextCheckInAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whether other machines hold the key now, or held it before: what binding a key to one installation needs. */
export async function keyBinding(db: Executor, keyId: string, fingerprint: string): Promise<{ otherActive: boolean; otherBefore: boolean }> {
  const row = await db
    .selectFrom('installations')
    .select([
      sql<boolean>`coalesce(bool_or(state = 'active'), false)`.as('otherActive'),
      sql<boolean>`count(*) > 0`.as('otherBefore'),
    ])
    .where('license_key_id', '=', keyId)
    .where('fingerprint', '<>', fingerprint)
    .executeTakeFirstOrThrow();
  return row;
}

export async function isBlacklisted(db: Executor, keyId: string, fingerprint: string): Promise<boolean> {
  const row = await db
    .selectFrom('blacklisted_machines')
    .select('fingerprint')
    .where('license_key_id', '=', keyId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row !== undefined;
}

export type AuthenticatedInstallation = Installation & { blacklisted: boolean };

export interface CheckInRecord {
  details: InstallationDetails;
  usage: { peak: number; current: number; measuredAt: Date } | null;
  overLimitSince: Date | null;
  now: Date;
  nextCheckInAt: Date;
}

/**
 * Deactivates an active installation. Returns the row only when this call did it, so two racing
 * deactivations give the seat back once.
 */
export function deactivateInstallation(db: Executor, id: string, reason: string, now: Date): Promise<Installation | undefined> {
  return db
    .updateTable('installations')
    .set({ state: 'deactivated', deactivated_at: now, deactivation_reason: reason, pending_action: null, pending_key_id: null })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

/** Carries out a pending move: the installation now draws on another key (and maybe another subscription). */
export function moveInstallation(
  db: Executor,
  id: string,
  to: { accountId: string | null; subscriptionId: string; itemId: string; licenseKeyId: string; holdsSeat: boolean },
): Promise<Installation> {
  return db
    .updateTable('installations')
    .set({
      account_id: to.accountId,
      subscription_id: to.subscriptionId,
      item_id: to.itemId,
      license_key_id: to.licenseKeyId,
      holds_seat: to.holdsSeat,
      over_limit_since: null,
      pending_action: null,
      pending_key_id: null,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records a trial for a machine and product; false when that machine already had one. */
export async function insertTrial(db: Executor, t: { productCode: string; fingerprint: string; expiresAt: Date; now: Date }): Promise<boolean> {
  const row = await db
    .insertInto('trials')
    .values({ product_code: t.productCode, fingerprint: t.fingerprint, expires_at: t.expiresAt, created_at: t.now })
    .onConflict((oc) => oc.columns(['product_code', 'fingerprint']).doNothing())
    .returning('fingerprint')
    .executeTakeFirst();
  return row !== undefined;
}

export async function attachTrialInstallation(db: Executor, productCode: string, fingerprint: string, installationId: string): Promise<void> {
  await db.updateTable('trials').set({ installation_id: installationId }).where('product_code', '=', productCode).where('fingerprint', '=', fingerprint).execute();
}

export async function findTrialEnd(db: Executor, productCode: string, fingerprint: string): Promise<Date | undefined> {
  const row = await db.selectFrom('trials').select('expires_at').where('product_code', '=', productCode).where('fingerprint', '=', fingerprint).executeTakeFirst();
  return row?.expires_at;
}

export interface InstallationContext {
  installation: AuthenticatedInstallation;
  key: LicenseKey | null;
  subscription: Subscription | null;
  item: SubscriptionItem | null;
  product: ProductRow;
  trialEnd: Date | null;
}

// Rows nested as JSON come back with timestamps as text; every timestamp column is named *_at.
export function reviveTimestamps<T>(row: Record<string, unknown> | null): T | null {
  if (!row) return null;
  for (const [k, v] of Object.entries(row)) if (k.endsWith('_at') && typeof v === 'string') row[k] = new Date(v);
  return row as T;
}

/**
 * Everything a bearer-token call needs about its installation in one round trip: the installation,
 * whether it is blacklisted, its key, subscription, item and product, and a trial's end. Check-ins
 * are the most frequent call of all, so this is one indexed lookup by token hash and nothing more.
 */
export async function findInstallationContext(db: Executor, tokenHash: string): Promise<InstallationContext | undefined> {
  const row = await db
    .selectFrom('installations as i')
    .innerJoin('products as p', 'p.code', 'i.product_code')
    .selectAll('i')
    .select([
      sql<boolean>`EXISTS (SELECT 1 FROM blacklisted_machines b WHERE b.license_key_id = i.license_key_id AND b.fingerprint = i.fingerprint)`.as('blacklisted'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(k) FROM license_keys k WHERE k.id = i.license_key_id)`.as('key_row'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(s) FROM subscriptions s WHERE s.id = i.subscription_id)`.as('subscription_row'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(it) FROM subscription_items it WHERE it.id = i.item_id)`.as('item_row'),
      sql<Date | null>`(SELECT t.expires_at FROM trials t WHERE i.trial AND t.product_code = i.product_code AND t.fingerprint = i.fingerprint)`.as('trial_end'),
      'p.name as product_name',
      'p.model as product_model',
      'p.license_types as product_license_types',
      'p.params as product_params',
    ])
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { key_row, subscription_row, item_row, trial_end, product_name, product_model, product_license_types, product_params, ...installation } = row;
  return {
    installation,
    key: reviveTimestamps<LicenseKey>(key_row),
    subscription: reviveTimestamps<Subscription>(subscription_row),
    item: reviveTimestamps<SubscriptionItem>(item_row),
    product: { code: installation.product_code, name: product_name, model: product_model, license_types: product_license_types, params: product_params },
    trialEnd: trial_end === null ? null : new Date(trial_end),
  };
}

/**
 * Records a check-in in one statement: the installation's new details and schedule, and the usage
 * report when one came, so an ordinary check-in needs no transaction of its own.
 */
export async function recordCheckInWithUsage(db: Executor, id: string, accountId: string | null, c: CheckInRecord): Promise<Installation> {
  const columns = {
    ...detailColumns(c.details),
    ...(c.usage ? { usage_peak: c.usage.peak, usage_current: c.usage.current, usage_measured_at: c.usage.measuredAt } : {}),
    over_limit_since: c.overLimitSince,
    last_seen_at: c.now,
    next_check_in_at: c.nextCheckInAt,
  };
  const usage = c.usage;
  // The usage report rides along as a CTE; the cast only widens the CTE's table list away.
  const statement: Executor = usage
    ? (db.with('report', (q) =>
        q.insertInto('installation_usage').values({
          installation_id: id,
          account_id: accountId,
          peak: usage.peak,
          current: usage.current,
          measured_at: usage.measuredAt,
          reported_at: c.now,
        }),
      ) as unknown as Executor)
    : db;
  return statement.updateTable('installations').set(columns).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface ActivationContext {
  subscription: Subscription | null;
  items: SubscriptionItem[];
  product: ProductRow | null;
  blacklisted: boolean;
  activeInstallation: Installation | null;
}

/**
 * Everything an activation checks about a key before taking a seat, in one round trip: its
 * subscription and products, the product asked for, and whether this machine is blacklisted or
 * already active on the key.
 */
export async function findActivationContext(
  db: Executor,
  a: { keyId: string; subscriptionId: string; productCode: string; fingerprint: string },
): Promise<ActivationContext> {
  const { rows } = await sql<{
    subscription: Record<string, unknown> | null;
    items: Record<string, unknown>[];
    product: ProductRow | null;
    blacklisted: boolean;
    active_installation: Record<string, unknown> | null;
  }>`
    SELECT
      (SELECT to_jsonb(s) FROM subscriptions s WHERE s.id = ${a.subscriptionId}) AS subscription,
      (SELECT coalesce(jsonb_agg(to_jsonb(it) ORDER BY it.product_code, it.license_type), '[]'::jsonb)
         FROM subscription_items it WHERE it.subscription_id = ${a.subscriptionId}) AS items,
      (SELECT jsonb_build_object('code', p.code, 'name', p.name, 'model', p.model, 'license_types', p.license_types, 'params', p.params)
         FROM products p WHERE p.code = ${a.productCode}) AS product,
      EXISTS (SELECT 1 FROM blacklisted_machines b WHERE b.license_key_id = ${a.keyId} AND b.fingerprint = ${a.fingerprint}) AS blacklisted,
      (SELECT to_jsonb(i) FROM installations i
         WHERE i.license_key_id = ${a.keyId} AND i.fingerprint = ${a.fingerprint} AND i.state = 'active') AS active_installation`.execute(db);
  const row = rows[0]!;
  return {
    subscription: reviveTimestamps<Subscription>(row.subscription),
    items: row.items.map((i) => reviveTimestamps<SubscriptionItem>(i)!),
    product: row.product,
    blacklisted: row.blacklisted,
    activeInstallation: reviveTimestamps<Installation>(row.active_installation),
  };
}

/**
 * A purchase of more licenses for a product gives its installations a new overuse grace: the next
 * report over the limit starts it again.
 */
export async function renewOveruseGrace(db: Executor, subscriptionId: string, productCodes: readonly string[]): Promise<void> {
  if (productCodes.length === 0) return;
  await db
    .updateTable('installations')
    .set({ over_limit_since: null })
    .where('subscription_id', '=', subscriptionId)
    .where('product_code', 'in', productCodes)
    .where('over_limit_since', 'is not', null)
    .execute();
}

/** An installation by its id, with whether its machine is blacklisted on its key. */
export function findInstallationById(db: Executor, id: string): Promise<AuthenticatedInstallation | undefined> {
  return db
    .selectFrom('installations as i')
    .selectAll('i')
    .select(sql<boolean>`EXISTS (SELECT 1 FROM blacklisted_machines b WHERE b.license_key_id = i.license_key_id AND b.fingerprint = i.fingerprint)`.as('blacklisted'))
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** An offline refresh is a sign of life: the details it carried, and the end of its new certificate as its next due date. */
export function recordOfflineRefresh(db: Executor, id: string, r: { details: InstallationDetails; now: Date; certificateEndsAt: Date }): Promise<Installation> {
  return db
    .updateTable('installations')
    .set({ ...detailColumns(r.details), last_seen_at: r.now, next_check_in_at: r.certificateEndsAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
