import { isUniqueViolation } from '../failures.js';
import { sql } from 'kysely';
import type { Payload } from '../../domain/payloads.js';
import type { Executor, InTransaction } from '../executor.js';

/**
 * The tables of payload sets (payload-sets.ts in the domain): configuration profiles and
 * policies have the same columns and are written by the same statements. A profile's name is
 * unique in its account, a policy's in its account and product.
 */
export type PayloadSetTable = 'configuration_profiles' | 'policies';

/** A set as its table holds it; the profile and policy lists add what they are assigned to. */
export interface PayloadSetRecord {
  id: string;
  account_id: string;
  product_code: string;
  name: string;
  payloads: Payload[];
  version: number;
  content_hash: string;
  created_at: Date;
  updated_at: Date;
}

/** The columns of a PayloadSetRecord. */
export const PAYLOAD_SET_COLUMNS = ['id', 'account_id', 'product_code', 'name', 'payloads', 'version', 'content_hash', 'created_at', 'updated_at'] as const;

/** The unique index of each table's names (see its migration), and whether it is per product. */
const names: Record<PayloadSetTable, { constraint: string; perProduct: boolean }> = {
  configuration_profiles: { constraint: 'configuration_profiles_name', perProduct: false },
  policies: { constraint: 'policies_name', perProduct: true },
};

/** Whether another set of the table has this name where names must differ, letter case aside (the unique index's rule). */
export async function isSetNameTaken(db: Executor, table: PayloadSetTable, scope: { accountId: string; productCode: string }, name: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom(table).select('id').where('account_id', '=', scope.accountId).where(sql<boolean>`lower(name) = lower(${name})`);
  if (names[table].perProduct) q = q.where('product_code', '=', scope.productCode);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** True for the error of a second set of one name where names must differ (a racing request). */
export function isSetNameConflict(table: PayloadSetTable, err: unknown): boolean {
  return isUniqueViolation(err, names[table].constraint);
}

/** Locks a set of the account to be changed or deleted; false when the account has no such set. */
export async function lockPayloadSet(db: InTransaction, table: PayloadSetTable, accountId: string, id: string): Promise<boolean> {
  const locked = await db.selectFrom(table).select('id').where('account_id', '=', accountId).where('id', '=', id).forUpdate().executeTakeFirst();
  return locked !== undefined;
}

export interface NewPayloadSet {
  accountId: string;
  productCode: string;
  name: string;
  payloads: Payload[];
  contentHash: string;
  createdBy: string | null;
  now: Date;
  /** A copy keeps the version of what it copies, which its installations have applied; a new set starts at 1. */
  version?: number;
}

export async function insertPayloadSet(db: Executor, table: PayloadSetTable, p: NewPayloadSet): Promise<string> {
  const row = await db
    .insertInto(table)
    .values({
      account_id: p.accountId,
      product_code: p.productCode,
      name: p.name,
      payloads: JSON.stringify(p.payloads),
      content_hash: p.contentHash,
      ...(p.version !== undefined ? { version: p.version } : {}),
      created_by: p.createdBy,
      created_at: p.now,
      updated_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PayloadSetChange {
  name: string;
  payloads: Payload[];
  contentHash: string;
  version: number;
}

export async function updatePayloadSet(db: Executor, table: PayloadSetTable, id: string, p: PayloadSetChange, now: Date): Promise<void> {
  await db
    .updateTable(table)
    .set({ name: p.name, payloads: JSON.stringify(p.payloads), content_hash: p.contentHash, version: p.version, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deletePayloadSet(db: Executor, table: PayloadSetTable, id: string): Promise<void> {
  await db.deleteFrom(table).where('id', '=', id).execute();
}
