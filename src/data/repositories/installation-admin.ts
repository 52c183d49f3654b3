import { sql, type RawBuilder } from 'kysely';
import type { Installation } from '../schema.js';
import type { Executor, InTransaction } from '../executor.js';
import { keyPoliciesJson, keyProfileJson } from './installations.js';
import { groupKeyOf } from './user-groups.js';

/** The portal's view of an account's installations (PRODUCT.md, capability 7). */

export type InstallationSort = 'lastSeen' | 'activatedAt' | 'name' | 'expiresAt';
export type InstallationStateFilter = 'all' | 'active' | 'deactivated' | 'blacklisted';
export type ExpiryFilter = 'all' | 'expiring_soon' | 'expired';

export interface InstallationFilter {
  keyId?: string | undefined;
  subscriptionId?: string | undefined;
  product?: string | undefined;
  /** The key's configuration profile: an id, or 'default' for keys with none (for the installation's product). */
  profile?: string | undefined;
  /** The user group whose sublicense the installations are on. */
  groupId?: string | undefined;
  state: InstallationStateFilter;
  expiry: ExpiryFilter;
  q?: string | undefined;
  /** A License Administrator's granted keys; null for everyone who sees all of the account's. */
  keyIds: readonly string[] | null;
  now: Date;
  expiringSoonUntil: Date;
}

/** Where the last row of a page stood: its sort value as the database prints it, and its id. */
export interface InstallationCursor {
  value: string;
  id: string;
}

export interface InstallationListQuery extends InstallationFilter {
  sort: InstallationSort;
  descending: boolean;
  after?: InstallationCursor | undefined;
  limit: number;
}

// Each sort is an expression with an index of its own on (account_id, expression, id), see 0008.
const sorts: Record<InstallationSort, { expr: RawBuilder<unknown>; type: RawBuilder<unknown> }> = {
  lastSeen: { expr: sql`i.last_seen_at`, type: sql`timestamptz` },
  activatedAt: { expr: sql`i.activated_at`, type: sql`timestamptz` },
  name: { expr: sql`coalesce(i.alias, i.name, '')`, type: sql`text` },
  expiresAt: { expr: sql`coalesce(i.license_expires_at, 'infinity')`, type: sql`timestamptz` },
};

/** A search term as a LIKE pattern that matches it anywhere, its wildcards taken literally. */
const containing = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// A blacklisted installation is deactivated too, but it is listed and counted under blacklisted only.
const inState: Record<Exclude<InstallationStateFilter, 'all'>, RawBuilder<boolean>> = {
  active: sql`i.state = 'active'`,
  deactivated: sql`i.state = 'deactivated' AND i.blacklisted_at IS NULL`,
  blacklisted: sql`i.blacklisted_at IS NOT NULL`,
};

/** The account's installations the caller may see: all of them, or those of a License Administrator's keys (`keyIds`). */
function visible(db: Executor, accountId: string, keyIds: readonly string[] | null) {
  const q = db.selectFrom('installations as i').where('i.account_id', '=', accountId);
  if (keyIds === null) return q;
  return keyIds.length > 0 ? q.where('i.license_key_id', 'in', [...keyIds]) : q.where(sql<boolean>`false`);
}

function matching(db: Executor, accountId: string, f: InstallationFilter) {
  let q = visible(db, accountId, f.keyIds);
  if (f.keyId) q = q.where('i.license_key_id', '=', f.keyId);
  if (f.subscriptionId) q = q.where('i.subscription_id', '=', f.subscriptionId);
  if (f.product) q = q.where('i.product_code', '=', f.product);
  if (f.profile) {
    const profile = keyProfileJson(sql`i.license_key_id`, sql`i.product_code`);
    q = q.where(f.profile === 'default' ? sql<boolean>`${profile} IS NULL` : sql<boolean>`(${profile})->>'id' = ${f.profile}`);
  }
  if (f.groupId) q = q.where(sql<boolean>`i.license_key_id = ${groupKeyOf(accountId, f.groupId)}`);
  if (f.state !== 'all') q = q.where(inState[f.state]);
  // On the expiry sort's own expression, so that sorting by expiry reads just the range.
  if (f.expiry === 'expired') q = q.where(sorts.expiresAt.expr, '<=', f.now);
  if (f.expiry === 'expiring_soon') q = q.where(sorts.expiresAt.expr, '>', f.now).where(sorts.expiresAt.expr, '<=', f.expiringSoonUntil);
  if (f.q) q = q.where(sql<boolean>`i.search_text LIKE ${containing(f.q)}`);
  return q;
}

/** One page of the list in the chosen order, the id breaking ties so that paging is stable. */
export function listInstallations(db: Executor, accountId: string, query: InstallationListQuery) {
  const { expr, type } = sorts[query.sort];
  // One key's installations share its expiry, so for one key that order is the id's alone, which
  // an index reads directly; the planner cannot know the expiry is constant there.
  const byIdAlone = query.keyId !== undefined && query.sort === 'expiresAt';
  let q = matching(db, accountId, query)
    .leftJoin('license_keys as k', 'k.id', 'i.license_key_id')
    .leftJoin('configuration_profiles as cp', (join) => join.onRef('cp.id', '=', 'k.profile_id').onRef('cp.product_code', '=', 'i.product_code'))
    .innerJoin('products as p', 'p.code', 'i.product_code')
    .select([
      'i.id',
      'i.name',
      'i.alias',
      'i.state',
      'i.blacklisted_at',
      'i.product_code',
      'p.name as product_name',
      'i.license_type',
      'i.license_key_id',
      'k.name as key_name',
      'cp.id as profile_id',
      'cp.name as profile_name',
      'i.subscription_id',
      'i.app_version',
      'i.host_os',
      'i.user_name',
      'i.hardware',
      'i.site',
      'i.activated_at',
      'i.activated_by',
      'i.last_seen_at',
      'i.deactivated_at',
      'i.license_expires_at',
      'i.usage_peak',
      'i.usage_current',
      'i.pending_action',
      'i.pending_key_id',
      'i.notes',
      sql<string>`(${expr})::text`.as('sort_value'),
    ]);
  const cmp = sql.raw(query.descending ? '<' : '>');
  const dir = sql.raw(query.descending ? 'DESC' : 'ASC');
  if (query.after) {
    const after = query.after;
    q = q.where(byIdAlone ? sql<boolean>`i.id ${cmp} ${after.id}::uuid` : sql<boolean>`(${expr}, i.id) ${cmp} (CAST(${after.value} AS ${type}), ${after.id}::uuid)`);
  }
  if (!byIdAlone) q = q.orderBy(sql`${expr} ${dir}`);
  return q.orderBy(sql`i.id ${dir}`).limit(query.limit).execute();
}

export type InstallationListRow = Awaited<ReturnType<typeof listInstallations>>[number];

/** Per product, how many of the installations the caller may see are in each state, in one pass over the account's rows. */
export function countInstallationsByProduct(db: Executor, accountId: string, keyIds: readonly string[] | null) {
  const count = (state: keyof typeof inState) => sql<number>`(count(*) FILTER (WHERE ${inState[state]}))::int`.as(state);
  return visible(db, accountId, keyIds)
    .innerJoin('products as p', 'p.code', 'i.product_code')
    .select(['i.product_code', 'p.name as product_name', count('active'), count('deactivated'), count('blacklisted')])
    .groupBy(['i.product_code', 'p.name'])
    .orderBy('p.name')
    .orderBy('i.product_code')
    .execute();
}

export type InstallationCountsRow = Awaited<ReturnType<typeof countInstallationsByProduct>>[number];

/**
 * An installation of the account with its key's and product's names, its key's user group, and
 * its key's profile and the policies over it, for the details dialog.
 */
export function findAccountInstallation(db: Executor, accountId: string, installationId: string) {
  return db
    .selectFrom('installations as i')
    .leftJoin('license_keys as k', 'k.id', 'i.license_key_id')
    .leftJoin('user_groups as g', 'g.license_key_id', 'i.license_key_id')
    .innerJoin('products as p', 'p.code', 'i.product_code')
    .selectAll('i')
    .select([
      'k.name as key_name',
      'p.name as product_name',
      'g.id as group_id',
      'g.name as group_name',
      keyProfileJson(sql`i.license_key_id`, sql`i.product_code`).as('profile'),
      keyPoliciesJson(sql`i.license_key_id`, sql`i.product_code`).as('policies'),
    ])
    .where('i.account_id', '=', accountId)
    .where('i.id', '=', installationId)
    .executeTakeFirst();
}

export type AccountInstallation = NonNullable<Awaited<ReturnType<typeof findAccountInstallation>>>;

/** The keys the account's installations among `ids` are on, to lock before the installations. */
export async function keysOfAccountInstallations(db: Executor, accountId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('installations')
    .select('license_key_id')
    .distinct()
    .where('account_id', '=', accountId)
    .where('id', 'in', [...ids])
    .where('license_key_id', 'is not', null)
    .execute();
  return rows.map((r) => r.license_key_id!);
}

/** The account's installations among `ids`, locked for a bulk action. */
export function lockAccountInstallations(db: InTransaction, accountId: string, ids: readonly string[]): Promise<Installation[]> {
  return db
    .selectFrom('installations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function updateInstallationNotes(db: Executor, id: string, changes: { alias?: string | null; notes?: string }) {
  return db.updateTable('installations').set(changes).where('id', '=', id).returning('id').executeTakeFirst();
}

export function setPendingAction(db: Executor, id: string, action: 'deactivate' | 'move', pendingKeyId: string | null) {
  return db.updateTable('installations').set({ pending_action: action, pending_key_id: pendingKeyId }).where('id', '=', id).execute();
}

/** Blacklists a machine for a key; false when it already was. */
export async function blacklistMachine(db: Executor, b: { accountId: string; keyId: string; fingerprint: string; now: Date }): Promise<boolean> {
  const row = await db
    .insertInto('blacklisted_machines')
    .values({ account_id: b.accountId, license_key_id: b.keyId, fingerprint: b.fingerprint, created_at: b.now })
    .onConflict((oc) => oc.columns(['license_key_id', 'fingerprint']).doNothing())
    .returning('fingerprint')
    .executeTakeFirst();
  return row !== undefined;
}

/** Lifts a machine's blacklisting for a key; false when it was not blacklisted. */
export async function unblacklistMachine(db: Executor, accountId: string, keyId: string, fingerprint: string): Promise<boolean> {
  const row = await db
    .deleteFrom('blacklisted_machines')
    .where('account_id', '=', accountId)
    .where('license_key_id', '=', keyId)
    .where('fingerprint', '=', fingerprint)
    .returning('fingerprint')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many installations already wait to move onto a key: seats promised that a new move cannot also take. */
export async function countPendingMovesTo(db: Executor, keyId: string): Promise<number> {
  const { n } = await db
    .selectFrom('installations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pending_key_id', '=', keyId)
    .where('pending_action', '=', 'move')
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(n);
}

// A report's date is its measurement's calendar day in UTC.
const reportDay = sql<string>`to_char(u.measured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/**
 * An installation's usage per report date, newest first: the highest peak of the date's reports
 * (an early report never hides a higher one) and the current use of its latest.
 */
export function usageHistory(db: Executor, installationId: string, limit: number) {
  return db
    .selectFrom('installation_usage as u')
    .select([
      reportDay.as('date'),
      sql<number>`max(u.peak)::int`.as('peak'),
      sql<number>`(array_agg(u.current ORDER BY u.measured_at DESC, u.id DESC))[1]::int`.as('current'),
    ])
    .where('u.installation_id', '=', installationId)
    .groupBy(reportDay)
    .orderBy(reportDay, 'desc')
    .limit(limit)
    .execute();
}

/** Each installation's peak per day on a key from `from` to `to` inclusive, by the key the installation is on now. */
export function keyUsageByDay(db: Executor, accountId: string, keyId: string, from: Date, to: Date) {
  return db
    .selectFrom('installation_usage as u')
    .innerJoin('installations as i', 'i.id', 'u.installation_id')
    .select(['u.installation_id', 'i.name', 'i.alias', reportDay.as('date'), sql<number>`max(u.peak)::int`.as('peak')])
    .where('i.account_id', '=', accountId)
    .where('i.license_key_id', '=', keyId)
    .where('u.measured_at', '>=', from)
    .where('u.measured_at', '<=', to)
    .groupBy(['u.installation_id', 'i.name', 'i.alias', reportDay])
    .orderBy(reportDay)
    .orderBy('u.installation_id')
    .execute();
}
