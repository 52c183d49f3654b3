import { sql } from 'kysely';
import type { InTransaction } from '../executor.js';

/**
 * Serializes a one-time step across the server processes sharing the database (creating the
 * first signing key, the first operator): the lock is held to the end of the caller's transaction,
 * so a second process waits, then finds what the first one made instead of making it again.
 */
export async function lockAcrossProcesses(trx: InTransaction, step: 'signing_keys' | 'first_operator'): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`keyline.${step}`}))`.execute(trx);
}
