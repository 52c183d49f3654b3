import {
  countInstallationsByProduct,
  findAccountInstallation,
  keyUsageByDay,
  listInstallations,
  usageHistory,
  type AccountInstallation,
  type InstallationCountsRow,
  type InstallationCursor,
  type InstallationFilter,
  type InstallationListQuery,
  type InstallationListRow,
} from '../../data/repositories/installation-admin.js';
import { findKey } from '../../data/repositories/license-keys.js';
import { findProduct } from '../../data/repositories/products.js';
import type { Executor } from '../../data/executor.js';
import { addDays } from '../../domain/clock.js';
import { isOverLimit } from '../../domain/certificate.js';
import { AppError, notFound } from '../../domain/errors.js';
import { isBound } from '../../domain/license-basis.js';
import { nextUsageReportAt, overusePeriod } from '../../domain/usage-reports.js';
import { EXPIRING_SOON_DAYS } from '../../domain/subscription.js';
import { authorizeLicensing, inScope, requireKeyInScope, type KeyScope } from '../../policies/license-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { factsOfStored } from '../licensing/installation-facts.js';
import { allRows, keysetPage, type Page } from '../paging.js';
import { installationConfiguration } from '../licensing/installation-configuration.js';
import type { InstallationConfiguration } from '../../domain/configuration-profile.js';

/** What the caller asks of the list: InstallationFilter without what the service works out (scope, time). */
export type InstallationListInput = Omit<InstallationListQuery, 'keyIds' | 'now' | 'expiringSoonUntil'>;
export type InstallationFilterInput = Omit<InstallationFilter, 'keyIds' | 'now' | 'expiringSoonUntil'>;

const USAGE_HISTORY_DAYS = 400;
export const KEY_USAGE_MAX_DAYS = 366;

function withScope<T extends InstallationFilterInput>(deps: Deps, scope: KeyScope, input: T): T & Pick<InstallationFilter, 'keyIds' | 'now' | 'expiringSoonUntil'> {
  const now = deps.clock.now();
  return { ...input, keyIds: scope.all ? null : [...scope.keyIds], now, expiringSoonUntil: addDays(now, EXPIRING_SOON_DAYS) };
}

/** One page of the account's installations; a License Administrator sees those of the keys granted to them. */
export async function listAccountInstallations(
  deps: Deps,
  actor: Actor,
  accountId: string,
  input: InstallationListInput,
): Promise<Page<InstallationListRow, InstallationCursor>> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  const query = withScope(deps, scope, input);
  return keysetPage(
    input.limit,
    (limit) => listInstallations(deps.db, accountId, { ...query, limit }),
    (last) => ({ value: last.sort_value, id: last.id }),
  );
}

/**
 * How many installations of each product are active, deactivated and blacklisted, counted exactly
 * (the dashboard's cards); a License Administrator counts those of the keys granted to them.
 */
export async function summarizeAccountInstallations(deps: Deps, actor: Actor, accountId: string): Promise<InstallationCountsRow[]> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  return countInstallationsByProduct(deps.db, accountId, scope.all ? null : [...scope.keyIds]);
}

/**
 * The whole list as shown (same filters and order) for a CSV download. Access is checked before
 * anything is sent; the rows are then read page by page, so the export streams at any size.
 */
export async function exportAccountInstallations(
  deps: Deps,
  actor: Actor,
  accountId: string,
  input: Omit<InstallationListInput, 'limit' | 'after'>,
): Promise<AsyncIterable<InstallationListRow>> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  const query = withScope(deps, scope, input);
  return allRows(
    (after: InstallationCursor | undefined, limit) => listInstallations(deps.db, accountId, { ...query, after, limit }),
    (last) => ({ value: last.sort_value, id: last.id }),
  );
}

/** An installation of the account the caller may see, else not found (a foreign one is never told apart). */
export async function visibleInstallation(db: Executor, scope: KeyScope, accountId: string, installationId: string): Promise<AccountInstallation> {
  const installation = await findAccountInstallation(db, accountId, installationId);
  if (!installation || (!scope.all && !(installation.license_key_id && inScope(scope, installation.license_key_id)))) throw notFound('Installation');
  return installation;
}

/** What a farm's or proxy's usage history is read against: its seats, its time over the limit and its report schedule. */
export interface UsageLimits {
  /** The seats its key licenses; null once its key is gone. */
  quota: number | null;
  overuse: ReturnType<typeof overusePeriod>;
  usageReportDays: number | null;
  lastUsageReportAt: Date | null;
  /** Null for an installation no longer active, or a product that takes no reports. */
  nextUsageReportAt: Date | null;
}

export interface InstallationDetails {
  installation: AccountInstallation;
  usage: { date: string; peak: number; current: number }[];
  /** Null for an installation that holds a seat of its own rather than reporting usage (a desktop). */
  usageLimits: UsageLimits | null;
  /** The configuration its check-ins deliver now, to compare with the one it reported applied. */
  configuration: InstallationConfiguration;
}

async function usageLimitsOf(db: Executor, installation: AccountInstallation, now: Date): Promise<UsageLimits | null> {
  const product = await findProduct(db, installation.product_code);
  if (!product || !isBound(product)) return null;
  const { params } = product;
  const quota = installation.license_key_id ? (await factsOfStored(db, installation)).seats : null;
  const overLimit = quota !== null && isOverLimit({ usagePeak: installation.usage_peak, seats: quota });
  const schedule = { params, lastReportedAt: installation.usage_reported_at, now, nextCheckInAt: installation.next_check_in_at, overLimit };
  return {
    quota,
    overuse: overusePeriod(params, installation.over_limit_since),
    usageReportDays: params.usageReportDays,
    lastUsageReportAt: installation.usage_reported_at,
    nextUsageReportAt: installation.state === 'active' ? nextUsageReportAt(schedule) : null,
  };
}

/** An installation as its details dialog shows it: general facts, its configuration, hardware, and its usage per report date against its limits. */
export async function installationDetails(db: Executor, installation: AccountInstallation, now: Date): Promise<InstallationDetails> {
  return {
    installation,
    usage: await usageHistory(db, installation.id, USAGE_HISTORY_DAYS),
    usageLimits: await usageLimitsOf(db, installation, now),
    configuration: installationConfiguration(installation),
  };
}

export async function getInstallation(deps: Deps, actor: Actor, accountId: string, installationId: string): Promise<InstallationDetails> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  return installationDetails(deps.db, await visibleInstallation(deps.db, scope, accountId, installationId), deps.clock.now());
}

export interface KeyUsage {
  keyId: string;
  from: Date;
  to: Date;
  /** Per day, the sum of the key's installations' peaks that day: what the key served at most at once. */
  days: { date: string; peak: number }[];
  installations: { installationId: string; name: string | null; alias: string | null; days: { date: string; peak: number }[] }[];
}

/**
 * A key's peak usage per day, in total and per installation. The total is the sum of each
 * installation's peak that day, since the installations of one key run side by side (several
 * proxies, or desktops counting one each); it can overstate a day when peaks fell at different
 * hours, never understate it. Installations count for the key they are on now.
 */
export async function keyUsage(
  deps: Deps,
  actor: Actor,
  accountId: string,
  subscriptionId: string,
  keyId: string,
  range: { from?: Date | undefined; to?: Date | undefined },
): Promise<KeyUsage> {
  const { scope } = await authorizeLicensing(deps.db, actor, accountId, 'installations.view');
  const key = await findKey(deps.db, keyId);
  if (!key || key.account_id !== accountId || key.subscription_id !== subscriptionId) throw notFound('License key');
  requireKeyInScope(scope, keyId);
  const to = range.to ?? deps.clock.now();
  const from = range.from ?? addDays(to, -30);
  if (from >= to || to.getTime() - from.getTime() > KEY_USAGE_MAX_DAYS * 86_400_000) {
    throw new AppError('validation_failed', `from must come before to, at most ${KEY_USAGE_MAX_DAYS} days apart`, { field: 'from' });
  }
  const rows = await keyUsageByDay(deps.db, accountId, keyId, from, to);
  const totals = new Map<string, number>();
  const perInstallation = new Map<string, KeyUsage['installations'][number]>();
  for (const r of rows) {
    totals.set(r.date, (totals.get(r.date) ?? 0) + r.peak);
    const entry = perInstallation.get(r.installation_id) ?? { installationId: r.installation_id, name: r.name, alias: r.alias, days: [] };
    entry.days.push({ date: r.date, peak: r.peak });
    perInstallation.set(r.installation_id, entry);
  }
  return {
    keyId,
    from,
    to,
    days: [...totals].map(([date, peak]) => ({ date, peak })),
    installations: [...perInstallation.values()],
  };
}
