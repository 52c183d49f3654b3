import {
  blacklistMachine,
  countPendingMovesTo,
  keysOfAccountInstallations,
  lockAccountInstallations,
  setPendingAction,
  unblacklistMachine,
  updateInstallationNotes,
} from '../../data/repositories/installation-admin.js';
import { findActiveInstallation, isBlacklisted, keyBinding } from '../../data/repositories/installations.js';
import { findKey, listKeysOfSubscription, lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { findProduct } from '../../data/repositories/products.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { Installation, LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { checkActivation, checkBinding } from '../../domain/activation-rules.js';
import { AppError, notFound, type ErrorCode } from '../../domain/errors.js';
import type { InstallationAction } from '../../domain/installation-actions.js';
import { isBound } from '../../domain/license-basis.js';
import { availableFor } from '../../domain/seat-pool.js';
import { authorizeLicensing, inScope, requireKeyInScope, type KeyScope } from '../../policies/license-policy.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import type { Actor } from '../../domain/actor.js';
import { releaseInstallation } from '../licensing/deactivate-installation.js';
import { itemPoolOf } from '../licensing/item-pool.js';
import { installationDetails, visibleInstallation, type InstallationDetails } from './list-installations.js';
import { runTransaction } from '../../data/transactions.js';

/** Renames an installation (its alias) or changes its notes; answers with it as its details dialog shows it. */
export async function updateInstallation(
  deps: Deps,
  actor: Actor,
  accountId: string,
  installationId: string,
  changes: { alias?: string | null | undefined; notes?: string | undefined },
): Promise<InstallationDetails> {
  return runTransaction(deps.db, async (trx) => {
    const { scope } = await authorizeLicensing(trx, actor, accountId, 'installations.manage');
    const installation = await visibleInstallation(trx, scope, accountId, installationId);
    const set = { ...(changes.alias !== undefined ? { alias: changes.alias } : {}), ...(changes.notes !== undefined ? { notes: changes.notes } : {}) };
    await updateInstallationNotes(trx, installation.id, set);
    const now = deps.clock.now();
    await recordChange(trx, actor, { accountId, action: 'installation.updated', targetType: 'installation', targetId: installation.id, details: set }, now);
    return installationDetails(trx, { ...installation, ...set }, now);
  });
}

export type ActionResult =
  | { installationId: string; ok: true; state: Installation['state']; blacklisted: boolean; pendingAction: Installation['pending_action'] }
  | { installationId: string; ok: false; error: { code: ErrorCode; message: string } };

const refused = (installationId: string, code: ErrorCode, message: string): ActionResult => ({ installationId, ok: false, error: { code, message } });

/** Where installations are to move: the key with what its seats and rules need, read once per request. */
interface MoveTarget {
  key: LicenseKey;
  subscription: Subscription;
  items: SubscriptionItem[];
  keys: LicenseKey[];
  /** Seats or bindings promised to installations already waiting, plus those promised in this request. */
  promised: number;
}

async function loadMoveTarget(trx: Executor, scope: KeyScope, accountId: string, keyId: string): Promise<MoveTarget> {
  const key = await findKey(trx, keyId);
  if (!key || key.account_id !== accountId) throw notFound('License key');
  requireKeyInScope(scope, key.id);
  const subscription = await findSubscription(trx, key.subscription_id);
  if (!subscription) throw notFound('License key');
  return {
    key,
    subscription,
    items: await listItems(trx, subscription.id),
    keys: await listKeysOfSubscription(trx, subscription.id),
    promised: await countPendingMovesTo(trx, key.id),
  };
}

/**
 * Whether an installation can move to the target key when it next checks in: the same rules an
 * activation with that key passes (product, license type, expiry, blacklist), then room on the
 * key: for a key bound to one installation (a farm, a proxy), the key free and its move limit not
 * reached; and for any key a free seat not already promised to another waiting move. The check-in
 * checks again when it carries the move out.
 */
async function refuseMove(trx: Executor, deps: Deps, installation: Installation, target: MoveTarget): Promise<{ code: ErrorCode; message: string } | null> {
  if (installation.license_key_id === target.key.id) return { code: 'already_on_key', message: 'The installation already uses this license key' };
  const product = await findProduct(trx, installation.product_code);
  const verdict = checkActivation({
    now: deps.clock.now(),
    request: { product: installation.product_code, licenseType: installation.license_type },
    key: { kind: target.key.kind, itemId: target.key.item_id, expiresAt: target.key.expires_at },
    subscription: { accountId: target.subscription.account_id, status: target.subscription.status, expiresAt: target.subscription.expires_at },
    items: target.items.map((i) => ({ id: i.id, productCode: i.product_code, licenseType: i.license_type })),
    params: product?.params,
    typeRules: product,
    blacklisted: await isBlacklisted(trx, target.key.id, installation.fingerprint),
  });
  if (!verdict.ok) return { code: verdict.code, message: `The target key cannot license this installation: ${verdict.code}` };
  if (await findActiveInstallation(trx, target.key.id, installation.fingerprint)) return { code: 'already_on_key', message: 'This machine is already active on the target key' };
  if (product && isBound(product)) {
    const binding = await keyBinding(trx, target.key.id, verdict.item.id, installation.fingerprint);
    const bound = checkBinding({ ...binding, otherActive: binding.otherActive || target.promised > 0, movesUsed: target.key.moves_used, maxMoves: product.params.maxMoves });
    if (!bound.ok) return { code: bound.code, message: bound.code === 'move_limit_reached' ? 'The target key has moved to other installations as often as allowed' : 'The target key is in use by another installation' };
  }
  const item = target.items.find((i) => i.id === verdict.item.id)!;
  const pool = await itemPoolOf(trx, item, target.keys, product!);
  const poolKey = pool.keys.find((k) => k.id === target.key.id);
  if (!poolKey || availableFor(poolKey, pool) - target.promised <= 0) return { code: 'quota_exhausted', message: 'The target key has no free seat for this installation' };
  return null;
}

const notOnKey = (i: Installation) => i.license_key_id === null;

/**
 * Carries out one action on many installations in one transaction, answering per installation:
 * - deactivate: left pending; the installation is deactivated and its seat released at its next
 *   check-in (or at once with `keyline agent update-license`);
 * - blacklist: the machine may no longer activate with this key (another key still works); its
 *   token stops working now, so it is deactivated and its seat released now;
 * - unblacklist: the machine may activate with the key again (it stays deactivated until it does);
 * - move: left pending; the installation changes to the target key at its next check-in.
 * Installations the caller cannot see are answered not_found, as if they did not exist.
 */
export async function actOnInstallations(
  deps: Deps,
  actor: Actor,
  accountId: string,
  request: { action: InstallationAction; installationIds: readonly string[]; targetKeyId?: string | undefined },
): Promise<ActionResult[]> {
  return runTransaction(deps.db, async (trx) => {
    const { scope } = await authorizeLicensing(trx, actor, accountId, 'installations.manage');
    if (request.action === 'move' && !request.targetKeyId) throw new AppError('validation_failed', 'A move needs targetKeyId', { field: 'targetKeyId' });
    const target = request.action === 'move' ? await loadMoveTarget(trx, scope, accountId, request.targetKeyId!) : null;
    // Blacklisting gives seats back: their keys are locked before the installations (lockKeysForSeats).
    if (request.action === 'blacklist') await lockKeysForSeats(trx, await keysOfAccountInstallations(trx, accountId, request.installationIds));
    const locked = new Map((await lockAccountInstallations(trx, accountId, request.installationIds)).map((i) => [i.id, i]));
    const now = deps.clock.now();
    const results: ActionResult[] = [];
    for (const id of new Set(request.installationIds)) {
      const installation = locked.get(id);
      if (!installation || (!scope.all && !(installation.license_key_id && inScope(scope, installation.license_key_id)))) {
        results.push(refused(id, 'not_found', 'Installation was not found'));
        continue;
      }
      const event = (action: string, details: Record<string, unknown> = {}) =>
        recordChange(trx, actor, { accountId, action, targetType: 'installation', targetId: id, details: { keyId: installation.license_key_id, ...details } }, now);
      let after: Installation = installation;
      switch (request.action) {
        case 'deactivate': {
          if (installation.state !== 'active') {
            results.push(refused(id, 'installation_deactivated', 'The installation is already deactivated'));
            continue;
          }
          await setPendingAction(trx, id, 'deactivate', null);
          await event('installation.deactivation_requested');
          after = { ...installation, pending_action: 'deactivate', pending_key_id: null };
          break;
        }
        case 'blacklist': {
          if (notOnKey(installation)) {
            results.push(refused(id, 'not_found', 'The license key of this installation no longer exists'));
            continue;
          }
          if (await blacklistMachine(trx, { accountId, keyId: installation.license_key_id!, fingerprint: installation.fingerprint, now })) await event('installation.blacklisted');
          if (installation.state === 'active') await releaseInstallation(trx, installation, 'blacklisted from the portal', now);
          after = { ...installation, state: 'deactivated', pending_action: null, pending_key_id: null, blacklisted_at: now };
          break;
        }
        case 'unblacklist': {
          if (!notOnKey(installation) && (await unblacklistMachine(trx, accountId, installation.license_key_id!, installation.fingerprint))) {
            await event('installation.unblacklisted');
          }
          after = { ...installation, blacklisted_at: null };
          break;
        }
        case 'move': {
          if (installation.state !== 'active') {
            results.push(refused(id, 'installation_deactivated', 'Only an active installation can move to another key'));
            continue;
          }
          const refusal = await refuseMove(trx, deps, installation, target!);
          if (refusal) {
            results.push(refused(id, refusal.code, refusal.message));
            continue;
          }
          target!.promised += 1;
          await setPendingAction(trx, id, 'move', target!.key.id);
          await event('installation.move_requested', { targetKeyId: target!.key.id });
          after = { ...installation, pending_action: 'move', pending_key_id: target!.key.id };
          break;
        }
      }
      results.push({ installationId: id, ok: true, state: after.state, blacklisted: after.blacklisted_at !== null, pendingAction: after.pending_action });
    }
    return results;
  });
}
