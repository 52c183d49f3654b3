import type { Executor } from './repositories/users.js';

/** Runs `work` in the caller's transaction when there is one, or in a new one. */
export function withinTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
