import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/** What a repository function runs its statements on: the database, or a transaction open on it. */
export type Executor = Kysely<DB>;
