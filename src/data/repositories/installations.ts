import { isUniqueViolation } from '../failures.js';
import { sql, type RawBuilder } from 'kysely';
import type { Installation, LicenseKey, Subscription, SubscriptionItem } from '../schema.js';
import { licensedProductJson, type LicensedProductRow } from './products.js';
import type { KeyPolicy } from '../../domain/configuration-policy.js';
import type { KeyConfiguration, KeyProfile } from '../../domain/configuration-profile.js';
import type { Executor } from '../executor.js';
import { Batcher, batcherFor, type BatchOptions } from '../batcher.js';

/** Hot statements batch up to 100 calls, with up to 4 statements on their way (of a pool of 10). */
const HOT_BATCHES: BatchOptions = { maxBatch: 100, maxInFlight: 4 };

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
  /** The person's seat it runs under when activated by signing in; it then holds no seat itself. */
  userSeatId?: string | null;
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
      user_seat_id: i.userSeatId ?? null,
      activated_at: i.now,
      last_seen_at: i.now,
      next_check_in_at: i.nextCheckInAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** True for the error of a second active installation of one fingerprint on one key (a racing retry). */
export function isDuplicateActivation(err: unknown): boolean {
  return isUniqueViolation(err, 'installations_one_active_per_key');
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

/**
 * Puts an active installation under a person's seat: the same machine signing in (its key
 * activation moving to per-user, or another person taking over the machine). The caller gives
 * back the key seat it held first.
 */
export function moveToUserSeat(
  db: Executor,
  id: string,
  m: { userSeatId: string; itemId: string; licenseType: string | null; activatedBy: string | null },
  r: { tokenHash: string; publicKey: string; details: InstallationDetails; now: Date; nextCheckInAt: Date },
): Promise<Installation> {
  return db
    .updateTable('installations')
    .set({
      user_seat_id: m.userSeatId,
      item_id: m.itemId,
      license_type: m.licenseType,
      activated_by: m.activatedBy,
      holds_seat: false,
      token_hash: r.tokenHash,
      public_key: r.publicKey,
      offline: false,
      ...detailColumns(r.details),
      last_seen_at: r.now,
      next_check_in_at: r.nextCheckInAt,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What the active installations of these keys in one product last reported using (their peak),
 * by key: the use of keys bound to one installation (a farm, a proxy). A key with no active
 * installation there is left out; one without a report yet uses nothing.
 */
export async function reportedUseByKey(db: Executor, itemId: string, keyIds: readonly string[]): Promise<Map<string, number>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('installations')
    .select(['license_key_id', 'usage_peak'])
    .where('license_key_id', 'in', [...keyIds])
    .where('item_id', '=', itemId)
    .where('state', '=', 'active')
    .execute();
  const use = new Map<string, number>();
  for (const r of rows) if (r.license_key_id) use.set(r.license_key_id, (use.get(r.license_key_id) ?? 0) + (r.usage_peak ?? 0));
  return use;
}

/** Whether other machines hold the key now, or held it before: what binding a key to one installation needs. */
/**
 * Whether another machine holds (or held) a bound key in this product: a primary key spanning a
 * farm product and per-device products binds only its farm installation.
 */
export async function keyBinding(db: Executor, keyId: string, itemId: string, fingerprint: string): Promise<{ otherActive: boolean; otherBefore: boolean }> {
  const row = await db
    .selectFrom('installations')
    .select([
      sql<boolean>`coalesce(bool_or(state = 'active'), false)`.as('otherActive'),
      sql<boolean>`count(*) > 0`.as('otherBefore'),
    ])
    .where('license_key_id', '=', keyId)
    .where('item_id', '=', itemId)
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
  /** The hash of the configuration the installation reports having applied; undefined keeps the one it reported before. */
  appliedProfileHash?: string | undefined;
  now: Date;
  nextCheckInAt: Date;
}

/**
 * Deactivates an active installation of the key `keyId` (null: of no key, a trial). Returns the
 * row only when this call did it, so two racing deactivations give the seat back once.
 */
export function deactivateInstallation(db: Executor, id: string, keyId: string | null, reason: string, now: Date): Promise<Installation | undefined> {
  return db
    .updateTable('installations')
    .set({ state: 'deactivated', deactivated_at: now, deactivation_reason: reason, pending_action: null, pending_key_id: null })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .where((eb) => (keyId === null ? eb('license_key_id', 'is', null) : eb('license_key_id', '=', keyId)))
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

export interface InstallationContext {
  installation: AuthenticatedInstallation;
  key: LicenseKey | null;
  subscription: Subscription | null;
  item: SubscriptionItem | null;
  product: LicensedProductRow;
  trialEnd: Date | null;
  /** The key's configuration profile when it is of the installation's product; null: the built-in Default. */
  profile: KeyProfile | null;
  /** The policies over that profile, of the installation's product (in no particular order). */
  policies: KeyPolicy[];
}

/** A key's profile as JSON, when it is of `product` (a primary key may span products; a profile is of one). */
export const keyProfileJson = (keyId: RawBuilder<unknown>, product: RawBuilder<unknown>) =>
  sql<KeyProfile | null>`(SELECT jsonb_build_object('id', cp.id, 'name', cp.name, 'version', cp.version, 'payloads', cp.payloads)
    FROM license_keys pk JOIN configuration_profiles cp ON cp.id = pk.profile_id WHERE pk.id = ${keyId} AND cp.product_code = ${product})`;

/**
 * The policies over a key's profile as a JSON array, those of `product` only: today the policy of
 * the user group the key is bound to. Another kind of account configuration (golden images) joins
 * as another branch of this subquery, so every context query that reads it gets that too.
 */
export const keyPoliciesJson = (keyId: RawBuilder<unknown>, product: RawBuilder<unknown>) =>
  sql<KeyPolicy[]>`(SELECT coalesce(jsonb_agg(jsonb_build_object('kind', 'group_policy', 'id', po.id, 'name', po.name, 'version', po.version, 'payloads', po.payloads)), '[]'::jsonb)
    FROM user_groups g JOIN policies po ON po.id = g.policy_id WHERE g.license_key_id = ${keyId} AND po.product_code = ${product})`;

/** What a key configures for its installations of `productCode` (see keyProfileJson, keyPoliciesJson), in one round trip. */
export async function findKeyConfiguration(db: Executor, keyId: string, productCode: string): Promise<KeyConfiguration> {
  const key = sql`${keyId}::uuid`;
  const product = sql`${productCode}::text`;
  const { rows } = await sql<KeyConfiguration>`SELECT ${keyProfileJson(key, product)} AS profile, ${keyPoliciesJson(key, product)} AS policies`.execute(db);
  return rows[0] ?? { profile: null, policies: [] };
}

// Rows nested as JSON come back with timestamps as text; every timestamp column is named *_at.
export function reviveTimestamps<T>(row: Record<string, unknown> | null): T | null {
  if (!row) return null;
  for (const [k, v] of Object.entries(row)) if (k.endsWith('_at') && typeof v === 'string') row[k] = new Date(v);
  return row as T;
}

type ContextBatcher = Batcher<string, InstallationContext | undefined>;
const contextBatchers = new WeakMap<Executor, ContextBatcher>();

/**
 * Everything a bearer-token call needs about its installation in one round trip: the installation,
 * whether it is blacklisted, its key, subscription, item and product, a trial's end, and its key's
 * configuration profile and the policies over it. Check-ins
 * are the most frequent call of all, so this is an indexed lookup by token hash, and outside a
 * transaction the lookups of concurrent calls share one statement (see batcher.ts).
 */
export async function findInstallationContext(db: Executor, tokenHash: string): Promise<InstallationContext | undefined> {
  if (db.isTransaction) return (await findInstallationContexts(db, [tokenHash]))[0];
  const batcher = batcherFor(contextBatchers, db, () => new Batcher<string, InstallationContext | undefined>((hashes) => findInstallationContexts(db, hashes), HOT_BATCHES));
  return batcher.submit(tokenHash);
}

async function findInstallationContexts(db: Executor, tokenHashes: string[]): Promise<(InstallationContext | undefined)[]> {
  const rows = await db
    .selectFrom('installations as i')
    .selectAll('i')
    .select([
      sql<boolean>`EXISTS (SELECT 1 FROM blacklisted_machines b WHERE b.license_key_id = i.license_key_id AND b.fingerprint = i.fingerprint)`.as('blacklisted'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(k) FROM license_keys k WHERE k.id = i.license_key_id)`.as('key_row'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(s) FROM subscriptions s WHERE s.id = i.subscription_id)`.as('subscription_row'),
      sql<Record<string, unknown> | null>`(SELECT to_jsonb(it) FROM subscription_items it WHERE it.id = i.item_id)`.as('item_row'),
      sql<Date | null>`(SELECT t.expires_at FROM trials t WHERE i.trial AND t.product_code = i.product_code AND t.fingerprint = i.fingerprint)`.as('trial_end'),
      sql<LicensedProductRow>`${licensedProductJson(sql`i.product_code`)}`.as('product_row'),
      keyProfileJson(sql`i.license_key_id`, sql`i.product_code`).as('profile_row'),
      keyPoliciesJson(sql`i.license_key_id`, sql`i.product_code`).as('policies_row'),
    ])
    .where('i.token_hash', 'in', [...new Set(tokenHashes)])
    .execute();
  const byHash = new Map<string, InstallationContext>();
  for (const row of rows) {
    const { key_row, subscription_row, item_row, trial_end, product_row, profile_row, policies_row, ...installation } = row;
    byHash.set(installation.token_hash, {
      installation,
      key: reviveTimestamps<LicenseKey>(key_row),
      subscription: reviveTimestamps<Subscription>(subscription_row),
      item: reviveTimestamps<SubscriptionItem>(item_row),
      product: product_row,
      trialEnd: trial_end === null ? null : new Date(trial_end),
      profile: profile_row,
      policies: policies_row,
    });
  }
  return tokenHashes.map((hash) => byHash.get(hash));
}

interface CheckInWrite {
  id: string;
  accountId: string | null;
  record: CheckInRecord;
}
type CheckInBatcher = Batcher<CheckInWrite, Installation>;
const checkInBatchers = new WeakMap<Executor, CheckInBatcher>();

/**
 * Records a check-in: the installation's new details and schedule, and the usage report when one
 * came, in one statement with no transaction of its own. Outside a transaction the check-ins of
 * concurrent calls share one statement (see batcher.ts).
 */
export async function recordCheckInWithUsage(db: Executor, id: string, accountId: string | null, record: CheckInRecord): Promise<Installation> {
  if (db.isTransaction) return (await recordCheckIns(db, [{ id, accountId, record }]))[0]!;
  const batcher = batcherFor(checkInBatchers, db, () => new Batcher<CheckInWrite, Installation>((writes) => recordCheckIns(db, writes), HOT_BATCHES));
  return batcher.submit({ id, accountId, record });
}

/**
 * One UPDATE for many check-ins, each row's values in a VALUES list, the usage reports riding
 * along as a CTE. An installation appears once per statement (UPDATE ... FROM takes one source row
 * per target row), so a second check-in of the same installation goes in a statement of its own.
 */
async function recordCheckIns(db: Executor, writes: CheckInWrite[]): Promise<Installation[]> {
  const seen = new Set<string>();
  const first = writes.filter((w) => !seen.has(w.id) && seen.add(w.id));
  const rest = writes.filter((w) => !first.includes(w));
  const values = first.map(({ id, accountId, record: c }) => {
    const d = c.details;
    const json = (v: Record<string, unknown> | undefined) => (v === undefined ? null : JSON.stringify(v));
    return sql`(${id}::uuid, ${accountId}::uuid, ${d.name ?? null}::text, ${d.app_version ?? null}::text, ${d.host_os ?? null}::text,
      ${d.user_name ?? null}::text, ${json(d.hardware)}::jsonb, ${json(d.site)}::jsonb, ${c.usage !== null}::boolean,
      ${c.usage?.peak ?? null}::int, ${c.usage?.current ?? null}::int, ${c.usage?.measuredAt ?? null}::timestamptz,
      ${c.overLimitSince}::timestamptz, ${c.appliedProfileHash ?? null}::text, ${c.now}::timestamptz, ${c.nextCheckInAt}::timestamptz)`;
  });
  const { rows } = await sql<Installation>`
    WITH v (id, account_id, name, app_version, host_os, user_name, hardware, site, has_usage, usage_peak, usage_current,
            usage_measured_at, over_limit_since, applied_profile_hash, now, next_check_in_at) AS (VALUES ${sql.join(values)}),
    report AS (
      INSERT INTO installation_usage (installation_id, account_id, peak, current, measured_at, reported_at)
      SELECT id, account_id, usage_peak, usage_current, usage_measured_at, now FROM v WHERE has_usage
    )
    UPDATE installations i SET
      name = coalesce(v.name, i.name),
      app_version = coalesce(v.app_version, i.app_version),
      host_os = coalesce(v.host_os, i.host_os),
      user_name = coalesce(v.user_name, i.user_name),
      hardware = coalesce(v.hardware, i.hardware),
      site = coalesce(v.site, i.site),
      usage_peak = CASE WHEN v.has_usage THEN v.usage_peak ELSE i.usage_peak END,
      usage_current = CASE WHEN v.has_usage THEN v.usage_current ELSE i.usage_current END,
      usage_measured_at = CASE WHEN v.has_usage THEN v.usage_measured_at ELSE i.usage_measured_at END,
      usage_reported_at = CASE WHEN v.has_usage THEN v.now ELSE i.usage_reported_at END,
      over_limit_since = v.over_limit_since,
      applied_profile_hash = coalesce(v.applied_profile_hash, i.applied_profile_hash),
      last_seen_at = v.now,
      next_check_in_at = v.next_check_in_at
    FROM v
    WHERE i.id = v.id
    RETURNING i.*
  `.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const later = rest.length ? await recordCheckIns(db, rest) : [];
  return writes.map((w) => {
    const i = rest.indexOf(w);
    const row = i >= 0 ? later[i] : byId.get(w.id);
    if (!row) throw new Error(`installation ${w.id} vanished during its check-in`);
    return row;
  });
}

/** A product an activation may be licensed as, with what the key configures for that product. */
export interface EditionContext extends KeyConfiguration {
  product: LicensedProductRow;
}

export interface ActivationContext {
  subscription: Subscription | null;
  items: SubscriptionItem[];
  /** The product asked for; null when the catalog has none of that code. */
  requested: EditionContext | null;
  /** The edition the product asked for upgrades to, which a converted subscription holds instead. */
  upgrade: EditionContext | null;
  blacklisted: boolean;
  activeInstallation: Installation | null;
}

/**
 * Everything an activation checks about a key before taking a seat, in one round trip: its
 * subscription and products, the product asked for and the edition that one upgrades to (each
 * with the key's configuration profile of it and the policies over it), and whether this machine
 * is blacklisted or already active on the key.
 */
export async function findActivationContext(
  db: Executor,
  a: { keyId: string; subscriptionId: string; productCode: string; fingerprint: string },
): Promise<ActivationContext> {
  const upgradeCode = sql`(SELECT up.upgrade_to FROM products up WHERE up.code = ${a.productCode})`;
  const { rows } = await sql<{
    subscription: Record<string, unknown> | null;
    items: Record<string, unknown>[];
    product: LicensedProductRow | null;
    profile: KeyProfile | null;
    upgrade: LicensedProductRow | null;
    upgrade_profile: KeyProfile | null;
    policies: KeyPolicy[];
    upgrade_policies: KeyPolicy[];
    blacklisted: boolean;
    active_installation: Record<string, unknown> | null;
  }>`
    SELECT
      (SELECT to_jsonb(s) FROM subscriptions s WHERE s.id = ${a.subscriptionId}) AS subscription,
      (SELECT coalesce(jsonb_agg(to_jsonb(it) ORDER BY it.product_code, it.license_type), '[]'::jsonb)
         FROM subscription_items it WHERE it.subscription_id = ${a.subscriptionId}) AS items,
      ${licensedProductJson(sql`${a.productCode}::text`)} AS product,
      ${keyProfileJson(sql`${a.keyId}::uuid`, sql`${a.productCode}::text`)} AS profile,
      ${licensedProductJson(upgradeCode)} AS upgrade,
      ${keyProfileJson(sql`${a.keyId}::uuid`, upgradeCode)} AS upgrade_profile,
      ${keyPoliciesJson(sql`${a.keyId}::uuid`, sql`${a.productCode}::text`)} AS policies,
      ${keyPoliciesJson(sql`${a.keyId}::uuid`, upgradeCode)} AS upgrade_policies,
      EXISTS (SELECT 1 FROM blacklisted_machines b WHERE b.license_key_id = ${a.keyId} AND b.fingerprint = ${a.fingerprint}) AS blacklisted,
      (SELECT to_jsonb(i) FROM installations i
         WHERE i.license_key_id = ${a.keyId} AND i.fingerprint = ${a.fingerprint} AND i.state = 'active') AS active_installation`.execute(db);
  const row = rows[0]!;
  return {
    subscription: reviveTimestamps<Subscription>(row.subscription),
    items: row.items.map((i) => reviveTimestamps<SubscriptionItem>(i)!),
    requested: row.product && { product: row.product, profile: row.profile, policies: row.policies },
    upgrade: row.upgrade && { product: row.upgrade, profile: row.upgrade_profile, policies: row.upgrade_policies },
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
