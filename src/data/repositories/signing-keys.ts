import type { Executor } from '../executor.js';

export interface SigningKeyRow {
  kid: string;
  private_key_pem: string;
  public_jwk: Record<string, string>;
}

/** The newest key not retired: the one new certificates are signed with. */
export function findActiveSigningKey(db: Executor): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .select(['kid', 'private_key_pem', 'public_jwk'])
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .limit(1)
    .executeTakeFirst();
}

/** The public halves of every key not retired: what installations verify certificates with. */
export async function listPublicSigningKeys(db: Executor): Promise<Record<string, string>[]> {
  const rows = await db.selectFrom('signing_keys').select('public_jwk').where('retired_at', 'is', null).orderBy('created_at', 'desc').orderBy('kid').execute();
  return rows.map((r) => r.public_jwk);
}

export async function insertSigningKey(db: Executor, key: SigningKeyRow, now: Date): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ kid: key.kid, private_key_pem: key.private_key_pem, public_jwk: JSON.stringify(key.public_jwk), created_at: now })
    .execute();
}
