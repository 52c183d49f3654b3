import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

/** What a repository function runs its statements on: the database, or a transaction open on it. */
export type Executor = Kysely<DB>;

/**
 * A transaction that is open (see transactions.ts). Functions that lock rows, or change one of
 * several counters that must move together, take this: on the bare database their locks would end
 * with the statement and a refusal could not undo the write before it, so passing it does not compile.
 */
export type InTransaction = Transaction<DB>;
