import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import type { WebhookDeliveryStatus, WebhookEndpoint } from '../schema.js';
import { auditEventRow, type NewAuditEvent } from './audit-events.js';

/**
 * Webhook endpoints, their deliveries and the attempts at each. An endpoint's owner is an account,
 * or the vendor (null): every read and write names the owner, so another account's endpoint is
 * simply not there.
 */

/**
 * The audit entry of a change and a delivery of its event to every enabled endpoint that
 * subscribes to it, in one statement: queuing webhooks adds no round trip to the change.
 * The vendor's endpoints (account_id null) hear every account's events.
 */
export async function insertAuditEventWithDeliveries(db: Executor, e: NewAuditEvent, event: { type: string; body: string }): Promise<void> {
  await db
    .with('audit', (qb) => qb.insertInto('audit_events').values(auditEventRow(e)))
    .insertInto('webhook_deliveries')
    .columns(['endpoint_id', 'account_id', 'event_type', 'body', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('webhook_endpoints')
        .select(['id', 'account_id', sql<string>`${event.type}::text`.as('event_type'), sql<string>`${event.body}::text`.as('body'), sql<Date>`${e.at}::timestamptz`.as('next_attempt_at'), sql<Date>`${e.at}::timestamptz`.as('created_at')])
        .where('enabled', '=', true)
        .where((w) => w.or([w('account_id', 'is', null), ...(e.accountId ? [w('account_id', '=', e.accountId)] : [])]))
        .where(sql<boolean>`${event.type}::text = ANY(event_types)`),
    )
    .execute();
}

const ownedBy = (accountId: string | null) => (accountId === null ? sql<boolean>`account_id IS NULL` : sql<boolean>`account_id = ${accountId}`);

export interface NewEndpoint {
  accountId: string | null;
  url: string;
  description: string;
  eventTypes: string[];
  secretSealed: string;
  createdBy: string | null;
  now: Date;
}

export function insertEndpoint(db: Executor, e: NewEndpoint): Promise<WebhookEndpoint> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      account_id: e.accountId,
      url: e.url,
      description: e.description,
      event_types: e.eventTypes,
      secret_sealed: e.secretSealed,
      created_by: e.createdBy,
      created_at: e.now,
      updated_at: e.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function countEndpoints(db: Executor, accountId: string | null): Promise<number> {
  return db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(ownedBy(accountId))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function listEndpoints(db: Executor, accountId: string | null): Promise<WebhookEndpoint[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where(ownedBy(accountId)).orderBy('created_at').orderBy('id').execute();
}

export function findEndpoint(db: Executor, accountId: string | null, id: string): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where(ownedBy(accountId)).where('id', '=', id).executeTakeFirst();
}

export function lockEndpoint(db: InTransaction, accountId: string | null, id: string): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where(ownedBy(accountId)).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface EndpointChange {
  url?: string;
  description?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

/** Saves what changed; enabling an endpoint clears its failure streak and why it was disabled. */
export function updateEndpoint(db: Executor, id: string, c: EndpointChange, now: Date): Promise<WebhookEndpoint> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(c.url !== undefined ? { url: c.url } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.eventTypes !== undefined ? { event_types: c.eventTypes } : {}),
      ...(c.enabled === true ? { enabled: true, failure_streak: 0, failing_since: null, disabled_at: null, disabled_reason: null } : {}),
      ...(c.enabled === false ? { enabled: false, disabled_at: now, disabled_reason: null } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A new secret; the one it replaces keeps signing beside it until `previousUntil`. */
export function rotateEndpointSecret(db: Executor, id: string, secretSealed: string, previousUntil: Date, now: Date): Promise<WebhookEndpoint> {
  return db
    .updateTable('webhook_endpoints')
    .set((eb) => ({ previous_secret_sealed: eb.ref('secret_sealed'), previous_secret_until: previousUntil, secret_sealed: secretSealed, updated_at: now }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteEndpoint(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

export interface DeliveryAttempt {
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeliveryRecord {
  id: string;
  endpoint_id: string;
  event_type: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  /** The latest attempts, oldest first. */
  log: DeliveryAttempt[];
}

/** How many attempts of one delivery the log shows: every one of a first round, and then some. */
export const LOGGED_ATTEMPTS = 30;

function withLog(db: Executor) {
  return db
    .selectFrom('webhook_deliveries as d')
    .select(['d.id', 'd.endpoint_id', 'd.event_type', 'd.body', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.last_error', 'd.delivered_at', 'd.created_at'])
    .select(
      sql<DeliveryAttempt[]>`(SELECT coalesce(jsonb_agg(jsonb_build_object('attempt', a.attempt, 'attemptedAt', a.attempted_at, 'statusCode', a.status_code,
          'durationMs', a.duration_ms, 'error', a.error, 'responseExcerpt', a.response_excerpt) ORDER BY a.attempt), '[]'::jsonb)
        FROM (SELECT * FROM webhook_attempts WHERE delivery_id = d.id ORDER BY attempt DESC LIMIT ${LOGGED_ATTEMPTS}) a)`.as('log'),
    );
}

/** An endpoint's deliveries, newest first, paged by (created_at, id). */
export function listDeliveries(db: Executor, endpointId: string, page: { before?: { createdAt: Date; id: string } | undefined; limit: number }): Promise<DeliveryRecord[]> {
  let q = withLog(db).where('d.endpoint_id', '=', endpointId);
  if (page.before) q = q.where(sql<boolean>`(d.created_at, d.id) < (${page.before.createdAt}::timestamptz, ${page.before.id}::uuid)`);
  return q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(page.limit).execute();
}

export function findDelivery(db: Executor, endpointId: string, id: string): Promise<DeliveryRecord | undefined> {
  return withLog(db).where('d.endpoint_id', '=', endpointId).where('d.id', '=', id).executeTakeFirst();
}

/** A delivery made for one endpoint alone (its test event), due now. */
export async function insertDelivery(db: Executor, d: { endpointId: string; accountId: string | null; type: string; body: string; now: Date }): Promise<string> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({ endpoint_id: d.endpointId, account_id: d.accountId, event_type: d.type, body: d.body, next_attempt_at: d.now, created_at: d.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Queues a delivery again, due now, with a new round of retries; false when it is gone. */
export async function requeueDelivery(db: Executor, endpointId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', round_attempts: 0, next_attempt_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A delivery a worker claimed, with what it takes to send it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  account_id: string | null;
  event_type: string;
  body: string;
  /** This attempt's number, counting every attempt. */
  attempts: number;
  /** This attempt's number in the current round (since it was queued), for the retry schedule. */
  round_attempts: number;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Date | null;
}

/**
 * Claims due deliveries of enabled endpoints for one worker, the oldest of each endpoint only and
 * none of the endpoints in `busy` (the worker's own in flight), so one slow endpoint holds one of
 * its places at a time. A claimed delivery is pushed `leaseSeconds` on, so other workers skip it,
 * and a worker that dies with it leaves it to be tried again after the lease. The conditions sit
 * on the locking level too: a row another worker claimed meanwhile is no longer due there.
 */
export async function claimDueDeliveries(db: Executor, c: { now: Date; limit: number; leaseSeconds: number; busy: readonly string[] }): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(c.now.getTime() + c.leaseSeconds * 1000);
  const { rows } = await sql<ClaimedDelivery>`
    UPDATE webhook_deliveries d
    SET next_attempt_at = ${leaseUntil}, attempts = d.attempts + 1, round_attempts = d.round_attempts + 1
    FROM webhook_endpoints e
    WHERE e.id = d.endpoint_id AND d.id IN (
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${c.now} AND id IN (
        SELECT DISTINCT ON (q.endpoint_id) q.id
        FROM webhook_deliveries q JOIN webhook_endpoints qe ON qe.id = q.endpoint_id
        WHERE q.status = 'pending' AND q.next_attempt_at <= ${c.now} AND qe.enabled AND q.endpoint_id <> ALL(${[...c.busy]}::uuid[])
        ORDER BY q.endpoint_id, q.next_attempt_at, q.id
      )
      ORDER BY next_attempt_at
      LIMIT ${c.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING d.id, d.endpoint_id, d.account_id, d.event_type, d.body, d.attempts, d.round_attempts,
      e.url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_until`.execute(db);
  return rows.map((r) => ({ ...r, previous_secret_until: r.previous_secret_until && new Date(r.previous_secret_until) }));
}

/** Locks a delivery to record an attempt's outcome; undefined when it is gone with its endpoint. */
export function lockDelivery(db: InTransaction, id: string) {
  return db.selectFrom('webhook_deliveries').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  accountId: string | null;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export async function insertAttempt(db: Executor, a: AttemptRecord): Promise<void> {
  await db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      account_id: a.accountId,
      attempted_at: a.at,
      status_code: a.statusCode,
      duration_ms: a.durationMs,
      error: a.error,
      response_excerpt: a.responseExcerpt,
    })
    .execute();
}

/** After an attempt: delivered, or failed for now (retryAt) or for good (null). */
export async function settleDelivery(db: Executor, id: string, outcome: { delivered: boolean; statusCode: number | null; error: string | null; retryAt: Date | null; now: Date }): Promise<void> {
  const status: WebhookDeliveryStatus = outcome.delivered ? 'delivered' : outcome.retryAt ? 'pending' : 'failed';
  await db
    .updateTable('webhook_deliveries')
    .set({
      status,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      ...(outcome.delivered ? { delivered_at: outcome.now } : {}),
      ...(outcome.retryAt ? { next_attempt_at: outcome.retryAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Counts an attempt into the endpoint's failure streak (a success ends it); the streak after it, when the endpoint is still there and enabled. */
export function countAttempt(db: Executor, endpointId: string, succeeded: boolean, now: Date) {
  return db
    .updateTable('webhook_endpoints')
    .set(succeeded ? { failure_streak: 0, failing_since: null } : (eb) => ({ failure_streak: sql`${eb.ref('failure_streak')} + 1`, failing_since: sql`coalesce(${eb.ref('failing_since')}, ${now}::timestamptz)` }))
    .where('id', '=', endpointId)
    .where('enabled', '=', true)
    .returning(['id', 'account_id', 'url', 'description', 'failure_streak', 'failing_since'])
    .executeTakeFirst();
}

export async function disableEndpoint(db: Executor, id: string, reason: string, now: Date): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ enabled: false, disabled_at: now, disabled_reason: reason, updated_at: now }).where('id', '=', id).execute();
}

/** Forgets deliveries (and their attempts) made before `before`; how many. */
export async function purgeDeliveries(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) => eb.selectFrom('webhook_deliveries').select('id').where('created_at', '<', before).where('status', '<>', 'pending').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
