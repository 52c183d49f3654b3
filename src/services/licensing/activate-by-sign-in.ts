import type { z } from 'zod';
import { findDirectoryUser } from '../../data/repositories/directory-users.js';
import { findIdentityProvider } from '../../data/repositories/identity-providers.js';
import { findActiveInstallation, insertInstallation, moveToUserSeat, reissueActivation } from '../../data/repositories/installations.js';
import { findPrimaryKey, lockKeysForSeats } from '../../data/repositories/license-keys.js';
import { findLicensedProduct } from '../../data/repositories/products.js';
import { releaseSeat } from '../../data/repositories/seats.js';
import { consumeGrant, lockGrant, pollGrant } from '../../data/repositories/sso-grants.js';
import { countSeatMachines, insertUserSeat, listAccountItems, lockOpenUserSeat } from '../../data/repositories/user-seats.js';
import type { InTransaction } from '../../data/executor.js';
import type { Installation, LicenseKey, SsoGrant, UserSeat } from '../../data/schema.js';
import { refusal } from '../../domain/activation-rules.js';
import type { Origin } from '../../domain/actor.js';
import { licenseTypeRule, type LicensedProduct } from '../../domain/catalog.js';
import { nextCheckInAt } from '../../domain/certificate.js';
import { addDays } from '../../domain/clock.js';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import type { activationRequestSchema } from '../../domain/licensing-protocol.js';
import { pollVerdict, SLOW_DOWN_SECONDS } from '../../domain/sso.js';
import { recordChange } from '../changes.js';
import type { Deps } from '../context.js';
import { certificateOf, factsOfStored, installationDetails } from './installation-facts.js';
import { occupyKey } from './occupy-key.js';
import { ACTIVATION_GUESSES_PER_ADDRESS, enforceRateLimit, refuseWhenLimited } from '../rate-limit.js';
import { hashSecret } from '../security/secrets.js';

/**
 * Activation with a corporate account: the machine polls with the device code of its sign-in
 * (sign-in-flows.ts) until the person has signed in, then takes the person's seat, not a key's.
 * A person holds one seat per subscription item however many machines they use, up to the
 * catalog's machines per user; their seat is counted in the same counters as the keys' (through
 * the subscription's primary key), so the pool is exact under any concurrency across processes.
 */

type ActivationInput = z.output<typeof activationRequestSchema>;

const grantGone = () => new AppError('sso_grant_expired', 'No sign-in is waiting for this device code: start the activation again', { field: 'ssoDeviceCode' });

/** A grant a device may not use yet or at all, as its answer; RFC 8628's errors with their stable codes. */
function pollRefusal(grant: SsoGrant & { previous_poll_at: Date | null }, fingerprint: string, now: Date): AppError | null {
  const verdict = pollVerdict(
    { status: grant.status, expiresAt: grant.expires_at, intervalSeconds: grant.interval_seconds, previousPollAt: grant.previous_poll_at, consumedFingerprint: grant.consumed_fingerprint },
    fingerprint,
    now,
  );
  const interval = { interval: grant.interval_seconds };
  switch (verdict) {
    case 'approved':
      return null;
    case 'pending':
      return new AppError('sso_authorization_pending', 'Waiting for the person to sign in with the code shown', interval);
    case 'slow_down':
      return new AppError('sso_slow_down', `Asked too soon: wait ${grant.interval_seconds} seconds between attempts`, interval);
    case 'expired':
      return new AppError('sso_grant_expired', 'The sign-in took too long and expired: start the activation again', { field: 'ssoDeviceCode' });
    case 'used':
      return new AppError('sso_grant_used', 'This sign-in already activated another machine: start the activation again on this one');
    case 'denied': {
      // The denial is stored as "code: message" by the sign-in that refused it.
      const [code, ...words] = (grant.denial ?? 'sso_access_denied: The sign-in was refused').split(': ');
      const known: ErrorCode = code === 'sso_domain_not_allowed' ? 'sso_domain_not_allowed' : 'sso_access_denied';
      return new AppError(known, words.join(': ') || 'The sign-in was refused');
    }
  }
}

/** The grant this device code names, once its person has signed in; answers the device's poll otherwise. */
export async function approvedGrant(deps: Deps, deviceCode: string, fingerprint: string, origin: Origin): Promise<SsoGrant> {
  const address = origin.ip ?? 'unknown';
  await refuseWhenLimited(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
  const now = deps.clock.now();
  const grant = await pollGrant(deps.db, hashSecret(deviceCode), now, SLOW_DOWN_SECONDS);
  if (!grant || grant.purpose !== 'activation') {
    await enforceRateLimit(deps, ACTIVATION_GUESSES_PER_ADDRESS, address);
    throw grantGone();
  }
  const refused = pollRefusal(grant, fingerprint, now);
  if (refused) throw refused;
  return grant;
}

interface SeatChoice {
  key: LicenseKey;
  item: Awaited<ReturnType<typeof listAccountItems>>[number];
  product: LicensedProduct;
  seat: UserSeat;
}

/**
 * The person's seat for this product: the one they hold already, else a new one from the first
 * running subscription item of a per-user type with room, latest-ending first. The candidates'
 * primary keys are locked first, in the order of lockKeysForSeats, as every seat change does.
 */
async function takeUserSeat(trx: InTransaction, deps: Deps, grant: SsoGrant, directoryUserId: string, requested: LicensedProduct, fingerprint: string): Promise<SeatChoice> {
  const now = deps.clock.now();
  const upgrade = requested.upgradeTo ? await findLicensedProduct(trx, requested.upgradeTo) : undefined;
  const products = new Map([[requested.code, requested], ...(upgrade ? ([[upgrade.code, upgrade]] as const) : [])]);
  const items = (await listAccountItems(trx, grant.account_id, [...products.keys()])).filter((i) => licenseTypeRule(products.get(i.product_code)!, i.license_type).seatHolder === 'user');
  if (items.length === 0) throw new AppError('sso_no_subscription', `This account has no subscription of ${requested.name} with seats for people who sign in`);
  const running = items.filter((i) => i.subscription_status === 'active' && addDays(i.subscription_expires_at, products.get(i.product_code)!.params.expiryGraceDays) > now);
  if (running.length === 0) throw refusal(items.some((i) => i.subscription_status === 'suspended') ? 'subscription_suspended' : 'subscription_expired');
  const primaries = new Map<string, LicenseKey>();
  for (const i of running) {
    const key = primaries.get(i.subscription_id) ?? (await findPrimaryKey(trx, i.subscription_id));
    if (key) primaries.set(i.subscription_id, key);
  }
  const locked = await lockKeysForSeats(trx, [...new Set([...primaries.values()].map((k) => k.id))]);
  const lockedKey = (subscriptionId: string) => locked.find((k) => k.id === primaries.get(subscriptionId)?.id);
  for (const item of running) {
    const key = lockedKey(item.subscription_id);
    const seat = key && (await lockOpenUserSeat(trx, item.id, directoryUserId));
    if (key && seat) return { key, item, product: products.get(item.product_code)!, seat };
  }
  for (const item of running) {
    const key = lockedKey(item.subscription_id);
    if (!key) continue;
    const product = products.get(item.product_code)!;
    const occupied = await occupyKey(trx, { key, item, product, fingerprint }, now);
    if (!occupied.ok) continue;
    const seat = await insertUserSeat(trx, { accountId: grant.account_id, subscriptionId: item.subscription_id, itemId: item.id, licenseKeyId: key.id, directoryUserId, now });
    await recordChange(trx, null, { accountId: grant.account_id, action: 'user_seat.taken', targetType: 'directory_user', targetId: directoryUserId, details: { seatId: seat.id, itemId: item.id, product: product.code } }, now);
    return { key, item, product, seat };
  }
  throw new AppError('sso_no_seat', `All seats of ${requested.name} for people who sign in are taken: ask your administrators to free or buy more`);
}

/**
 * The machine under the person's seat: the same machine again gets its installation back; a
 * machine active with the subscription's key moves to per-user (its key seat is given back), so
 * key and sign-in activations coexist while a company migrates; a new machine counts against the
 * machines the catalog allows a person.
 */
async function placeMachine(trx: InTransaction, deps: Deps, choice: SeatChoice, email: string | null, input: ActivationInput, token: string): Promise<{ installation: Installation; created: boolean; nextCheckIn: Date }> {
  const now = deps.clock.now();
  const { key, item, product, seat } = choice;
  const nextCheckIn = nextCheckInAt(now, product.params, Math.random);
  const details = installationDetails(input);
  const renewal = { tokenHash: hashSecret(token), publicKey: input.publicKey, details, now, nextCheckInAt: nextCheckIn };
  const existing = await findActiveInstallation(trx, key.id, input.fingerprint);
  if (existing?.user_seat_id === seat.id) return { installation: await reissueActivation(trx, existing.id, { ...renewal, offline: false }), created: false, nextCheckIn };
  const machines = await countSeatMachines(trx, seat.id);
  const allowed = licenseTypeRule(product, item.license_type).machinesPerUser;
  if (machines >= allowed) {
    throw new AppError('sso_machine_limit', `You already use ${product.name} on ${machines} machines, as many as one person may: deactivate it on one of them first`, { machines, allowed });
  }
  if (existing) {
    if (existing.holds_seat && existing.item_id) await releaseSeat(trx, key, existing.item_id);
    const moved = await moveToUserSeat(trx, existing.id, { userSeatId: seat.id, itemId: item.id, licenseType: item.license_type, activatedBy: email }, renewal);
    return { installation: moved, created: false, nextCheckIn };
  }
  const installation = await insertInstallation(trx, {
    accountId: choice.seat.account_id,
    subscriptionId: item.subscription_id,
    itemId: item.id,
    licenseKeyId: key.id,
    productCode: product.code,
    licenseType: item.license_type,
    fingerprint: input.fingerprint,
    publicKey: input.publicKey,
    tokenHash: renewal.tokenHash,
    trial: false,
    holdsSeat: false,
    details,
    now,
    nextCheckInAt: nextCheckIn,
    activatedBy: email,
    userSeatId: seat.id,
  });
  return { installation, created: true, nextCheckIn };
}

/** The activation itself, inside the caller's transaction, once the device's grant is approved. */
export async function activateWithGrant(deps: Deps, trx: InTransaction, grantId: string, input: ActivationInput, token: string, origin: Origin) {
  const grant = await lockGrant(trx, grantId);
  if (!grant || !(grant.status === 'approved' || (grant.status === 'consumed' && grant.consumed_fingerprint === input.fingerprint)) || !grant.directory_user_id) throw grantGone();
  const provider = await findIdentityProvider(trx, grant.account_id);
  if (!provider?.enabled) throw new AppError('sso_not_enabled', 'Single sign-on is switched off for this account: ask its administrators');
  const user = await findDirectoryUser(trx, grant.account_id, grant.directory_user_id);
  if (!user?.active) throw new AppError('sso_access_denied', 'Your directory account is deactivated: ask your IT department');
  const requested = await findLicensedProduct(trx, input.product);
  if (!requested) throw refusal('product_mismatch');
  const choice = await takeUserSeat(trx, deps, grant, user.id, requested, input.fingerprint);
  const placed = await placeMachine(trx, deps, choice, user.email, input, token);
  await consumeGrant(trx, grant.id, input.fingerprint);
  const now = deps.clock.now();
  const by = { userId: null, email: user.email, ip: origin.ip };
  const details = { keyId: choice.key.id, fingerprint: input.fingerprint, created: placed.created, userSeatId: choice.seat.id, directoryUserId: user.id, bySignIn: true };
  await recordChange(trx, by, { accountId: grant.account_id, action: 'installation.activated', targetType: 'installation', targetId: placed.installation.id, details }, now);
  const facts = await factsOfStored(trx, placed.installation);
  return { ...placed, configuration: facts.configuration, ...certificateOf(deps, facts, { now, nextCheckInAt: placed.nextCheckIn }) };
}
