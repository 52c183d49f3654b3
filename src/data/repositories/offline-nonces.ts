import type { OfflineNoncesTable } from '../schema.js';
import type { Executor } from '../executor.js';

/**
 * Takes a request nonce for good; false when it was taken before. A racing upload of the same
 * file waits on the first one's row and then finds it, so a file is accepted once.
 */
export async function acceptNonce(
  db: Executor,
  n: { nonce: string; accountId: string; installationId: string | null; kind: OfflineNoncesTable['kind']; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('offline_nonces')
    .values({ nonce: n.nonce, account_id: n.accountId, installation_id: n.installationId, kind: n.kind, accepted_at: n.now })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return row !== undefined;
}

export async function attachNonceInstallation(db: Executor, nonce: string, installationId: string): Promise<void> {
  await db.updateTable('offline_nonces').set({ installation_id: installationId }).where('nonce', '=', nonce).execute();
}

/** Deletes the nonces accepted before `cutoff`; how many went. */
export async function deleteNoncesAcceptedBefore(db: Executor, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('offline_nonces').where('accepted_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
