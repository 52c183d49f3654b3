import { sql } from 'kysely';
import type { Executor } from '../executor.js';

/**
 * Counts one hit against a fixed window and returns the hits in the current window. Stored in the
 * database, so every server process sharing it counts against the same limit.
 */
export async function hitRateLimit(db: Executor, key: string, now: Date, windowSeconds: number): Promise<{ hits: number; windowStartedAt: Date }> {
  const windowStart = new Date(now.getTime() - windowSeconds * 1000);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_started_at: now, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`CASE WHEN rate_limits.window_started_at <= ${windowStart}::timestamptz THEN 1 ELSE rate_limits.hits + 1 END`,
        window_started_at: sql`CASE WHEN rate_limits.window_started_at <= ${windowStart}::timestamptz THEN ${now}::timestamptz ELSE rate_limits.window_started_at END`,
      }),
    )
    .returning(['hits', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, windowStartedAt: row.window_started_at };
}

/** The hits in the current window without counting one: for limits that count only failures. */
export async function peekRateLimit(db: Executor, key: string, now: Date, windowSeconds: number): Promise<{ hits: number; windowStartedAt: Date }> {
  const row = await db.selectFrom('rate_limits').select(['hits', 'window_started_at']).where('key', '=', key).executeTakeFirst();
  if (!row || row.window_started_at.getTime() <= now.getTime() - windowSeconds * 1000) return { hits: 0, windowStartedAt: now };
  return { hits: row.hits, windowStartedAt: row.window_started_at };
}

export function clearRateLimit(db: Executor, key: string) {
  return db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
