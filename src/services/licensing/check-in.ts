import type { z } from 'zod';
import { findActiveInstallation, isBlacklisted, moveInstallation, recordCheckInWithUsage } from '../../data/repositories/installations.js';
import { lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { releaseSeat } from '../../data/repositories/seats.js';
import { findSubscription, listItems } from '../../data/repositories/subscriptions.js';
import type { Executor, InTransaction } from '../../data/executor.js';
import type { Installation } from '../../data/schema.js';
import { checkActivation } from '../../domain/activation-rules.js';
import { isOverLimit, nextValidationAt, overLimitSince, type CertificateClaims, type Warning } from '../../domain/certificate.js';
import { claimsFor, isBound } from '../../domain/license-basis.js';
import type { InstallationConfiguration } from '../../domain/configuration-profile.js';
import type { CheckInAction, checkInRequestSchema, CheckInResponse } from '../../domain/licensing-protocol.js';
import { nextUsageReportAt } from '../../domain/usage-reports.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { certificateOf, factsByToken, factsOfStored, installationDetails, type InstallationFacts } from './installation-facts.js';
import { occupyKey } from './occupy-key.js';
import { recordDeactivation, releaseInstallation } from './deactivate-installation.js';
import { activeSigner, signCertificate } from './signing.js';
import { deliverConfiguration } from './installation-configuration.js';
import { recordWentOverLimit } from './usage-alerts.js';
import { recordVirtualMachines } from './virtual-machine-inventory.js';
import { retrying, runTransaction } from '../../data/transactions.js';

export type CheckInInput = z.output<typeof checkInRequestSchema>;

/**
 * Carries out a move to another key that the portal left pending: the new key must pass the same
 * rules and have room, and only then is the old seat given back. Otherwise the installation stays
 * where it is, is told so, and the move is tried again at the next check-in.
 */
async function carryOutMove(trx: InTransaction, installation: Installation, basis: InstallationFacts['basis'], now: Date): Promise<{ moved: Installation } | { warning: Warning }> {
  const pending = (message: string): { warning: Warning } => ({ warning: { code: 'move_pending', message: `The move to another license key is waiting: ${message}` } });
  // Both keys first, in the order of lockKeysForSeats: the seat taken on one and given back to the other.
  const keyIds = [installation.pending_key_id, installation.license_key_id].filter((id): id is string => id !== null);
  const locked = await lockKeysForSeats(trx, keyIds);
  const key = locked.find((k) => k.id === installation.pending_key_id);
  const subscription = key && (await findSubscription(trx, key.subscription_id));
  if (!key || !subscription) return pending('the key no longer exists');
  // Its own key was deleted since the check-in began, which deactivated it: nothing is left to move.
  if (installation.license_key_id && !locked.some((k) => k.id === installation.license_key_id)) return pending('its license key no longer exists');
  const items = await listItems(trx, subscription.id);
  const verdict = checkActivation({
    now,
    request: { product: installation.product_code, licenseType: installation.license_type },
    key: { kind: key.kind, itemId: key.item_id, expiresAt: key.expires_at },
    subscription: { accountId: subscription.account_id, status: subscription.status, expiresAt: subscription.expires_at },
    items: items.map((i) => ({ id: i.id, productCode: i.product_code, licenseType: i.license_type })),
    params: basis.product.params,
    typeRules: basis.product,
    blacklisted: await isBlacklisted(trx, key.id, installation.fingerprint),
  });
  if (!verdict.ok) return pending(verdict.code);
  if (await findActiveInstallation(trx, key.id, installation.fingerprint)) return pending('this machine is already active on that key');
  const item = items.find((i) => i.id === verdict.item.id)!;
  const occupied = await occupyKey(trx, { key, item, product: basis.product, fingerprint: installation.fingerprint }, now);
  if (!occupied.ok) return pending(occupied.code);
  if (installation.holds_seat && !basis.trial) await releaseSeat(trx, basis.key, basis.item.id);
  const moved = await moveInstallation(trx, installation.id, {
    accountId: subscription.account_id,
    subscriptionId: subscription.id,
    itemId: item.id,
    licenseKeyId: key.id,
    holdsSeat: occupied.holdsSeat,
  });
  return { moved };
}

interface CheckInAnswer {
  action: CheckInAction;
  warnings: Warning[];
  nextCheckIn: Date;
  /** Null where the product takes no usage reports, or the installation was just deactivated. */
  nextUsageReport: Date | null;
  claims: CertificateClaims;
  /** The configuration to deliver when the installation has not applied it; null after a deactivation. */
  configuration: InstallationConfiguration | null;
}

/**
 * Records what the installation reports and works out its next certificate, inside the caller's
 * transaction, or (`trx` null, the ordinary check-in) with a commit that does not wait for the
 * disk: a record lost in a crash is made again by the next check-in. The first report over the
 * limit sends email, so it is written durably.
 */
async function recordAndCertify(trx: Executor | null, deps: Deps, facts: InstallationFacts, input: CheckInInput, now: Date): Promise<Omit<CheckInAnswer, 'action'>> {
  const { installation, basis, seats } = facts;
  const usage = input.usage ? { peak: input.usage.peak, current: input.usage.current, measuredAt: new Date(input.usage.measuredAt) } : null;
  const { params } = basis.product;
  const usageFacts = { usagePeak: usage?.peak ?? installation.usage_peak, seats, now, params };
  const bound = isBound(basis.product);
  const overLimit = bound && isOverLimit(usageFacts);
  const nextCheckIn = nextValidationAt(now, params, overLimit, Math.random);
  const record = {
    details: installationDetails(input, installation.site),
    usage,
    overLimitSince: bound ? overLimitSince(installation.over_limit_since, usageFacts) : null,
    appliedProfileHash: input.profileHash,
    now,
    nextCheckInAt: nextCheckIn,
  };
  const recorded =
    installation.over_limit_since === null && record.overLimitSince !== null && !basis.trial
      ? await recordWentOverLimit(trx ?? deps.db, deps, installation, basis, record, seats)
      : await recordCheckInWithUsage(trx ?? deps.relaxedDb, installation.id, installation.account_id, record);
  const { standing, claims } = certificateOf(deps, { ...facts, installation: recorded }, { now, nextCheckInAt: nextCheckIn });
  const nextUsageReport = nextUsageReportAt({ params, lastReportedAt: recorded.usage_reported_at, now, nextCheckInAt: nextCheckIn, overLimit });
  return { warnings: standing.warnings, nextCheckIn, nextUsageReport, claims, configuration: facts.configuration };
}

const DEACTIVATED_FROM_PORTAL = 'deactivated from the portal';

/**
 * A check-in with something the portal left pending for it: a deactivation or a move, in one
 * transaction, from the facts the check-in read (the locks of lockKeysForSeats decide what holds).
 */
async function checkInWithPendingAction(trx: InTransaction, deps: Deps, read: InstallationFacts, input: CheckInInput): Promise<CheckInAnswer> {
  const now = deps.clock.now();
  let facts = read;
  const { installation, basis } = facts;
  if (installation.pending_action === 'deactivate') {
    // A revoked user seat leaves its reason beside the pending deactivation; the portal leaves none.
    const reason = installation.deactivation_reason ?? DEACTIVATED_FROM_PORTAL;
    await releaseInstallation(trx, installation, reason, now);
    await recordDeactivation(trx, installation, reason, now);
    const standing = { state: 'deactivated' as const, licenseExpiresAt: now, graceUntil: null };
    const claims = claimsFor({ issuer: deps.config.publicUrl, ...facts, now, nextCheckInAt: now, expiresAt: now }, standing);
    return { action: 'deactivate', warnings: [], nextCheckIn: now, nextUsageReport: null, claims, configuration: null };
  }
  let action: CheckInAction = 'none';
  const warnings: Warning[] = [];
  if (installation.pending_action === 'move') {
    const move = await carryOutMove(trx, installation, basis, now);
    if ('warning' in move) warnings.push(move.warning);
    else {
      facts = await factsOfStored(trx, move.moved);
      action = 'reactivate';
      const details = { fromKeyId: installation.license_key_id, toKeyId: move.moved.license_key_id };
      await recordChange(trx, null, { accountId: move.moved.account_id, action: 'installation.moved', targetType: 'installation', targetId: installation.id, details }, now);
    }
  }
  const answer = await recordAndCertify(trx, deps, facts, input, now);
  return { ...answer, action, warnings: [...answer.warnings, ...warnings] };
}

/**
 * A check-in (PROTOCOL.md): records what the installation reports, carries out what the portal
 * left pending for it, and answers with a fresh certificate, and with the configuration document
 * when the installation reports another than the current one. An expired license still gets a
 * certificate, saying `expired`: the desktop rule is that it runs until this check-in, then stops.
 * The ordinary check-in, with nothing pending, is one read and one write with no transaction:
 * it is the call a fleet makes most. A changed VM inventory adds one short transaction of its own.
 */
export async function checkIn(deps: Deps, token: string, input: CheckInInput): Promise<CheckInResponse> {
  const signer = await activeSigner(deps);
  // A check-in reports the same facts when it runs twice, so one cut off by a lost connection
  // (the ordinary one writes outside a transaction, in a shared batch) runs again.
  const answer = await retrying(async (): Promise<CheckInAnswer> => {
    const facts = await factsByToken(deps.db, token);
    const certified: CheckInAnswer =
      facts.installation.pending_action === null
        ? { ...(await recordAndCertify(null, deps, facts, input, deps.clock.now())), action: 'none' }
        : await runTransaction(deps.db, (trx) => checkInWithPendingAction(trx, deps, facts, input));
    const inventory = certified.action === 'deactivate' ? [] : await recordVirtualMachines(deps, facts, input.virtualMachines);
    return { ...certified, warnings: [...certified.warnings, ...inventory] };
  }, { idempotent: true });
  const { configuration } = answer;
  return {
    certificate: signCertificate(signer, answer.claims),
    nextCheckInAt: answer.nextCheckIn.toISOString(),
    nextUsageReportAt: answer.nextUsageReport?.toISOString() ?? null,
    action: answer.action,
    warnings: answer.warnings,
    // Only a configuration the installation has not applied is signed and sent.
    profile: configuration && configuration.hash !== input.profileHash ? deliverConfiguration(signer, answer.claims, configuration) : null,
  };
}
