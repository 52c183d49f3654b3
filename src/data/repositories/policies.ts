import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import { lockPayloadSet, PAYLOAD_SET_COLUMNS, type PayloadSetRecord } from './payload-sets.js';

/** A policy with the user groups it is assigned to, as the Policies page lists it. */
export interface PolicyRecord extends PayloadSetRecord {
  groups: { id: string; name: string; subscription_id: string }[];
}

function withGroups(db: Executor) {
  return db
    .selectFrom('policies as po')
    .select(PAYLOAD_SET_COLUMNS.map((c) => `po.${c}` as const))
    .select(
      sql<PolicyRecord['groups']>`(SELECT coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'subscription_id', g.subscription_id)
        ORDER BY lower(g.name), g.id), '[]'::jsonb) FROM user_groups g WHERE g.policy_id = po.id)`.as('groups'),
    );
}

export function listAccountPolicies(db: Executor, accountId: string): Promise<PolicyRecord[]> {
  return withGroups(db).where('po.account_id', '=', accountId).orderBy(sql`lower(po.name)`).orderBy('po.product_code').orderBy('po.id').execute();
}

export function findAccountPolicy(db: Executor, accountId: string, policyId: string): Promise<PolicyRecord | undefined> {
  return withGroups(db).where('po.account_id', '=', accountId).where('po.id', '=', policyId).executeTakeFirst();
}

/** Locks a policy to be changed or deleted; its groups are read under the lock. */
export async function lockAccountPolicy(db: InTransaction, accountId: string, policyId: string): Promise<PolicyRecord | undefined> {
  return (await lockPayloadSet(db, 'policies', accountId, policyId)) ? findAccountPolicy(db, accountId, policyId) : undefined;
}

/**
 * A policy of the account that a group may be given, held so that it cannot be deleted before
 * the group's change commits (FOR KEY SHARE, what the group's foreign key takes anyway, taken
 * before the group's row so a deletion of the policy and the change take turns).
 */
export function holdAccountPolicy(db: InTransaction, accountId: string, policyId: string) {
  return db.selectFrom('policies').select(['id', 'name', 'product_code']).where('account_id', '=', accountId).where('id', '=', policyId).forKeyShare().executeTakeFirst();
}

/** Takes a policy off every group that has it; how many had it. */
export async function clearPolicyFromGroups(db: Executor, policyId: string, now: Date): Promise<number> {
  const cleared = await db.updateTable('user_groups').set({ policy_id: null, updated_at: now }).where('policy_id', '=', policyId).executeTakeFirst();
  return Number(cleared.numUpdatedRows);
}
