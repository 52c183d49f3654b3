import { listAccountProducts } from '../../data/repositories/configuration-profiles.js';
import { deletePayloadSet } from '../../data/repositories/payload-sets.js';
import { clearPolicyFromGroups, findAccountPolicy, listAccountPolicies, lockAccountPolicy, type PolicyRecord } from '../../data/repositories/policies.js';
import type { Executor } from '../../data/executor.js';
import { runTransaction } from '../../data/transactions.js';
import type { Actor } from '../../domain/actor.js';
import { hasFeature } from '../../domain/configuration-policy.js';
import { AppError, invalidInput, notFound } from '../../domain/errors.js';
import { authorizeAccount } from '../../policies/account-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { insertCheckedSet, updateCheckedSet, type PayloadSetInput, type PayloadSetKind } from './payload-sets.js';

/**
 * Policies (capability 10, Enterprise), account administrators only: a payload set of one product
 * whose catalog features include `policies`, assigned to user groups. A group's policy overrides
 * the profile of the group's sublicense, setting by setting (effectiveConfiguration), at each of
 * its installations' next check-in.
 */

const POLICIES: PayloadSetKind = {
  table: 'policies',
  target: 'policy',
  nameTaken: (name) => new AppError('policy_name_taken', `A policy named “${name}” exists already for this product in this account`, { field: 'name' }),
};

export const featureNotIncluded = (what: string, field: string) =>
  new AppError('feature_not_included', `${what} are part of the Enterprise edition: this product's license does not include them`, { field });

export async function listPolicies(deps: Deps, actor: Actor, accountId: string): Promise<PolicyRecord[]> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return listAccountPolicies(deps.db, accountId);
}

async function policyOfAccount(db: Executor, accountId: string, policyId: string): Promise<PolicyRecord> {
  const policy = await findAccountPolicy(db, accountId, policyId);
  if (!policy) throw notFound('Policy');
  return policy;
}

export async function getPolicy(deps: Deps, actor: Actor, accountId: string, policyId: string): Promise<PolicyRecord> {
  await authorizeAccount(deps.db, actor, accountId, 'configuration.manage');
  return policyOfAccount(deps.db, accountId, policyId);
}

/** Creates a policy for a product the account's subscriptions hold, one whose license includes policies. */
export async function createPolicy(deps: Deps, actor: Actor, accountId: string, input: PayloadSetInput & { product: string }): Promise<PolicyRecord> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const product = (await listAccountProducts(trx, accountId)).find((p) => p.code === input.product);
    if (!product) throw invalidInput([{ path: 'product', message: 'is not a product of this account’s subscriptions' }]);
    if (!hasFeature(product, 'policies')) throw featureNotIncluded('Policies', 'product');
    const id = await insertCheckedSet(trx, actor, POLICIES, accountId, product, input, deps.clock.now());
    return policyOfAccount(trx, accountId, id);
  });
}

/** Saves a policy: a new version only when what it delivers changed; its groups' installations get it at their next check-in. */
export async function updatePolicy(deps: Deps, actor: Actor, accountId: string, policyId: string, input: PayloadSetInput): Promise<PolicyRecord> {
  return runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const policy = await lockAccountPolicy(trx, accountId, policyId);
    if (!policy) throw notFound('Policy');
    await updateCheckedSet(trx, actor, POLICIES, policy, input, deps.clock.now());
    return policyOfAccount(trx, accountId, policyId);
  });
}

/** Deletes a policy: the groups that had it keep their sublicense and have no policy, so their installations run with their profile alone. */
export async function deletePolicy(deps: Deps, actor: Actor, accountId: string, policyId: string): Promise<void> {
  await runTransaction(deps.db, async (trx) => {
    await authorizeAccount(trx, actor, accountId, 'configuration.manage');
    const policy = await lockAccountPolicy(trx, accountId, policyId);
    if (!policy) throw notFound('Policy');
    const now = deps.clock.now();
    const cleared = await clearPolicyFromGroups(trx, policyId, now);
    await deletePayloadSet(trx, 'policies', policyId);
    await recordChange(trx, actor, { accountId, action: 'policy.deleted', targetType: 'policy', targetId: policyId, details: { name: policy.name, groupsCleared: cleared } }, now);
  });
}
