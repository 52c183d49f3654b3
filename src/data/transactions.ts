import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { databaseFailure } from './failures.js';
import type { Executor, InTransaction } from './executor.js';
import type { DB } from './schema.js';

export interface RetryOptions {
  /**
   * The work gives the same outcome when it runs twice (an activation of one machine, a check-in),
   * so it may run again when the connection broke before its answer came, even if it committed.
   */
  idempotent?: boolean;
}

/** Runs of a transaction that PostgreSQL rolled back for a deadlock or a serialization failure. */
export const CONFLICT_ATTEMPTS = 5;
/** How long idempotent work keeps trying while the database is away (a restart takes a few seconds). */
export const RECONNECT_WAIT_MS = 6000;

/** Short and jittered, so transactions that collided once do not collide again in step. */
function backoffMs(attempt: number): number {
  return Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Runs `work`, and again when it failed in a way that a new run may not: a conflict (the
 * transaction was rolled back, so it is always safe) a few times, a lost connection only for
 * idempotent work and only for a bounded wait. Whatever still fails is thrown as it is; the error
 * handler answers a passing database failure with 503.
 */
export async function retrying<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + RECONNECT_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const failure = databaseFailure(err);
      const again = failure === 'conflict' ? attempt < CONFLICT_ATTEMPTS : failure === 'connection' && options.idempotent === true && Date.now() < deadline;
      if (!again) throw err;
      await sleep(backoffMs(attempt));
    }
  }
}

/** The way every use case opens a transaction: `work` runs in a new one, again after a conflict (see `retrying`). */
export function runTransaction<T>(db: Kysely<DB>, work: (trx: InTransaction) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retrying(() => db.transaction().execute(work), options);
}

/** Kysely types `isTransaction` as a plain boolean on the database, which narrows nothing by itself. */
function isOpen(db: Executor): db is InTransaction {
  return db.isTransaction;
}

/** Runs `work` in the caller's transaction when there is one, or in a new one. */
export function withinTransaction<T>(db: Executor, work: (trx: InTransaction) => Promise<T>): Promise<T> {
  return isOpen(db) ? work(db) : runTransaction(db, work);
}
