import type { Executor } from '../executor.js';

// The trials table: one trial per machine and product, ever.

/** Records a trial for a machine and product; false when that machine already had one. */
export async function insertTrial(db: Executor, t: { productCode: string; fingerprint: string; expiresAt: Date; now: Date }): Promise<boolean> {
  const row = await db
    .insertInto('trials')
    .values({ product_code: t.productCode, fingerprint: t.fingerprint, expires_at: t.expiresAt, created_at: t.now })
    .onConflict((oc) => oc.columns(['product_code', 'fingerprint']).doNothing())
    .returning('fingerprint')
    .executeTakeFirst();
  return row !== undefined;
}

export async function attachTrialInstallation(db: Executor, productCode: string, fingerprint: string, installationId: string): Promise<void> {
  await db.updateTable('trials').set({ installation_id: installationId }).where('product_code', '=', productCode).where('fingerprint', '=', fingerprint).execute();
}

export async function findTrialEnd(db: Executor, productCode: string, fingerprint: string): Promise<Date | undefined> {
  const row = await db.selectFrom('trials').select('expires_at').where('product_code', '=', productCode).where('fingerprint', '=', fingerprint).executeTakeFirst();
  return row?.expires_at;
}
