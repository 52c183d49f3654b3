import { findInstallationContext, findKeyConfiguration, type AuthenticatedInstallation, type InstallationDetails } from '../../data/repositories/installations.js';
import { findTrialEnd } from '../../data/repositories/trials.js';
import { findKey, listKeysOfSubscription } from '../../data/repositories/license-keys.js';
import { findLicensedProduct, licensedProductFromRow } from '../../data/repositories/products.js';
import { findItem, findSubscription } from '../../data/repositories/subscriptions.js';
import type { Executor } from '../../data/executor.js';
import type { Installation, LicenseKey, Subscription, SubscriptionItem } from '../../data/schema.js';
import { refusal } from '../../domain/activation-rules.js';
import type { CertificateClaims, Standing } from '../../domain/certificate.js';
import { NO_KEY_CONFIGURATION, type InstallationConfiguration, type KeyConfiguration } from '../../domain/configuration-profile.js';
import { AppError } from '../../domain/errors.js';
import { certify, licensedSeats, seatsNeedPool, type LicenseBasis as BasisOf } from '../../domain/license-basis.js';
import type { DescriptiveFields } from '../../domain/licensing-protocol.js';
import type { PoolState } from '../../domain/seat-pool.js';
import type { Deps } from '../context.js';
import { hashSecret } from '../security/secrets.js';
import { itemPoolOf } from './item-pool.js';
import { installationConfiguration } from './installation-configuration.js';

/**
 * The facts of an installation that activation, check-in and offline files certify it from: the
 * installation, the license it rests on and the seats that license gives it. Each use case gets
 * them through one step here, read once, and hands them to the domain's rules (license-basis.ts).
 */

/** What an installation's license rests on, with the stored key, subscription and item. */
export type LicenseBasis = BasisOf<LicenseKey, Subscription, SubscriptionItem>;

export interface InstallationFacts<I extends Installation = Installation> {
  installation: I;
  basis: LicenseBasis;
  seats: number;
  configuration: InstallationConfiguration;
}

/** The descriptive fields as stored; site fields sent alone are merged into what the installation said before. */
export function installationDetails(d: DescriptiveFields, currentSite: Record<string, unknown> = {}): InstallationDetails {
  const site = Object.fromEntries(
    (['siteCode', 'siteDescription', 'serverId'] as const).filter((k) => d[k] !== undefined).map((k) => [k, d[k]]),
  );
  return {
    ...(d.name !== undefined ? { name: d.name } : {}),
    ...(d.appVersion !== undefined ? { app_version: d.appVersion } : {}),
    ...(d.hostOs !== undefined ? { host_os: d.hostOs } : {}),
    ...(d.userName !== undefined ? { user_name: d.userName } : {}),
    ...(d.hardware !== undefined ? { hardware: d.hardware } : {}),
    ...(Object.keys(site).length ? { site: { ...currentSite, ...site } } : {}),
  };
}

// The key or subscription was deleted under a running installation: it has nothing to run on.
const licenseGone = () => new AppError('installation_deactivated', 'The license of this installation no longer exists');

/** The pool of the basis's product in its subscription, as it is now. */
export async function poolOf(db: Executor, basis: Extract<LicenseBasis, { trial: false }>): Promise<PoolState> {
  return itemPoolOf(db, basis.item, await listKeysOfSubscription(db, basis.subscription.id), basis.product);
}

/** The seats its license gives an installation; the key's pool is read only when a bound key's seats come from it. */
export async function seatsOf(db: Executor, basis: LicenseBasis): Promise<number> {
  return licensedSeats(basis, seatsNeedPool(basis) ? await poolOf(db, basis) : null);
}

/** The facts from what was read, what the key configures included (a trial runs with the built-in Default alone). */
export function factsFrom<I extends Installation>(installation: I, basis: LicenseBasis, seats: number, configuration: KeyConfiguration): InstallationFacts<I> {
  return { installation, basis, seats, configuration: installationConfiguration(basis.trial ? NO_KEY_CONFIGURATION : configuration) };
}

export async function factsOf<I extends Installation>(db: Executor, installation: I, basis: LicenseBasis, configuration: KeyConfiguration): Promise<InstallationFacts<I>> {
  return factsFrom(installation, basis, await seatsOf(db, basis), configuration);
}

/**
 * The installation a bearer token belongs to, with the license it rests on, read in one query. A
 * deactivated or blacklisted installation's token no longer works.
 */
export async function authenticate(db: Executor, token: string): Promise<{ installation: AuthenticatedInstallation; basis: LicenseBasis; configuration: KeyConfiguration }> {
  const context = await findInstallationContext(db, hashSecret(token));
  if (!context) throw new AppError('token_invalid', 'The installation token is not valid');
  const { installation, key, subscription, item, trialEnd, profile, policies } = context;
  if (installation.state === 'deactivated') throw new AppError('installation_deactivated', 'This installation has been deactivated; activate it again');
  if (installation.blacklisted) throw refusal('installation_blacklisted');
  const product = licensedProductFromRow(context.product);
  if (installation.trial) {
    if (!trialEnd) throw new Error(`trial installation ${installation.id} has no trial`);
    return { installation, basis: { trial: true, product, trialEnd }, configuration: NO_KEY_CONFIGURATION };
  }
  if (!key || !subscription || !item) throw licenseGone();
  return { installation, basis: { trial: false, product, key, subscription, item }, configuration: { profile, policies } };
}

/** The facts of the installation a bearer token belongs to (see authenticate). */
export async function factsByToken(db: Executor, token: string): Promise<InstallationFacts<AuthenticatedInstallation>> {
  const { installation, basis, configuration } = await authenticate(db, token);
  return factsOf(db, installation, basis, configuration);
}

/** The facts of an installation already read (after a move, or named by an offline file), its license and configuration read by id. */
export async function factsOfStored<I extends Installation>(trx: Executor, installation: I): Promise<InstallationFacts<I>> {
  const product = await findLicensedProduct(trx, installation.product_code);
  if (!product) throw new Error(`installation ${installation.id} names unknown product ${installation.product_code}`);
  if (installation.trial) {
    const trialEnd = await findTrialEnd(trx, installation.product_code, installation.fingerprint);
    if (!trialEnd) throw new Error(`trial installation ${installation.id} has no trial`);
    return factsOf(trx, installation, { trial: true, product, trialEnd }, NO_KEY_CONFIGURATION);
  }
  const key = installation.license_key_id ? await findKey(trx, installation.license_key_id) : undefined;
  const subscription = installation.subscription_id ? await findSubscription(trx, installation.subscription_id) : undefined;
  const item = installation.item_id ? await findItem(trx, installation.item_id) : undefined;
  if (!key || !subscription || !item) throw licenseGone();
  const configuration = await findKeyConfiguration(trx, key.id, installation.product_code);
  return factsOf(trx, installation, { trial: false, product, key, subscription, item }, configuration);
}

/** How the facts' license stands now and the claims of its next certificate, issued by this server. */
export function certificateOf(
  deps: Deps,
  facts: InstallationFacts,
  times: { now: Date; nextCheckInAt: Date; expiresAt?: Date | undefined },
): { standing: Standing; claims: CertificateClaims } {
  return certify({ issuer: deps.config.publicUrl, ...facts, ...times });
}
