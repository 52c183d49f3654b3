import { insertPayloadSet, isSetNameConflict, isSetNameTaken, updatePayloadSet, type PayloadSetRecord, type PayloadSetTable } from '../../data/repositories/payload-sets.js';
import { findProduct } from '../../data/repositories/products.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { Actor } from '../../domain/actor.js';
import type { Product } from '../../domain/catalog.js';
import type { AppError } from '../../domain/errors.js';
import { checkPayloadSet, nextVersion, payloadSetHash } from '../../domain/payload-sets.js';
import { recordChange } from '../changes.js';
import { savingUniqueName, type UniqueName } from '../unique-names.js';

/**
 * The steps that saving a payload set takes, whether it is a configuration profile or a policy:
 * payloads checked against the product's types, a unique name, the content hash and version, and
 * the audit entry. The use cases (profiles.ts, policies.ts) authorize, find and lock around them.
 */

export interface PayloadInput {
  type: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

export interface PayloadSetInput {
  name: string;
  payloads: PayloadInput[];
}

/** Which sets a use case saves: their table, their audit target (`policy.created`), and the refusal of a name taken. */
export interface PayloadSetKind {
  table: PayloadSetTable;
  target: 'configuration_profile' | 'policy';
  nameTaken: (name: string) => AppError;
}

const uniqueName = (trx: Executor, kind: PayloadSetKind, set: { accountId: string; productCode: string; name: string; exceptId: string | null }): UniqueName => ({
  taken: () => isSetNameTaken(trx, kind.table, set, set.name, set.exceptId),
  conflict: (err: unknown) => isSetNameConflict(kind.table, err),
  refusal: () => kind.nameTaken(set.name),
});

/** Creates a set of `product` in the account; its id. */
export async function insertCheckedSet(trx: InTransaction, actor: Actor, kind: PayloadSetKind, accountId: string, product: Product, input: PayloadSetInput, now: Date): Promise<string> {
  const payloads = checkPayloadSet(product.payloadTypes, input.payloads);
  const set = { accountId, productCode: product.code, name: input.name, exceptId: null };
  const id = await savingUniqueName(uniqueName(trx, kind, set), () =>
    insertPayloadSet(trx, kind.table, { accountId, productCode: product.code, name: input.name, payloads, contentHash: payloadSetHash(payloads), createdBy: actor.userId, now }),
  );
  await recordChange(trx, actor, { accountId, action: `${kind.target}.created`, targetType: kind.target, targetId: id, details: { name: input.name, product: product.code } }, now);
  return id;
}

/** Saves a locked set's name and payloads: a new version only when what it delivers changed, so a rename reaches no installation. */
export async function updateCheckedSet(trx: InTransaction, actor: Actor, kind: PayloadSetKind, current: PayloadSetRecord, input: PayloadSetInput, now: Date): Promise<void> {
  const types = (await findProduct(trx, current.product_code))?.payloadTypes ?? [];
  const payloads = checkPayloadSet(types, input.payloads);
  const contentHash = payloadSetHash(payloads);
  const version = nextVersion({ version: current.version, contentHash: current.content_hash }, contentHash);
  const set = { accountId: current.account_id, productCode: current.product_code, name: input.name, exceptId: current.id };
  await savingUniqueName(uniqueName(trx, kind, set), () => updatePayloadSet(trx, kind.table, current.id, { name: input.name, payloads, contentHash, version }, now));
  const details = { name: input.name, version, ...(current.name !== input.name ? { renamedFrom: current.name } : {}) };
  await recordChange(trx, actor, { accountId: current.account_id, action: `${kind.target}.updated`, targetType: kind.target, targetId: current.id, details }, now);
}
