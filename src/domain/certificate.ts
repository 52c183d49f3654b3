import type { LicensedProduct, LicensingParams, Product } from './catalog.js';
import { addDays, addSeconds, DAY_MS, daysUntil } from './clock.js';
import { EXPIRING_SOON_DAYS } from './subscription.js';
import { overuseGraceEnd } from './usage-reports.js';

/**
 * What an installation is told about its license (PROTOCOL.md, "Certificates"): when to call in
 * again, how its license stands, and the claims the server signs.
 */
export const LICENSE_STATES = ['active', 'grace', 'over_limit', 'expired', 'deactivated'] as const;
export type LicenseState = (typeof LICENSE_STATES)[number];

/** States in which the product may run; the others mean unlicensed. */
export const RUNNABLE_STATES: readonly LicenseState[] = ['active', 'grace'];

export const WARNING_CODES = [
  'license_expiring',
  'expiry_grace',
  'license_expired',
  'subscription_suspended',
  'key_expired',
  'over_limit',
  'overuse_grace',
  'move_pending',
  'virtual_machine_refused',
  'virtual_machines_over_limit',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  code: WarningCode;
  message: string;
  daysLeft?: number;
  /** Which entry of a reported list (numbered from 1) the warning is about: a refused virtual machine. */
  entry?: number;
}

const HOUR_SECONDS = 3600;

type Schedule = Pick<LicensingParams, 'checkInMaxHours' | 'checkInJitter'>;

/**
 * When the installation calls in next. With jitter it is a random moment between half and all of
 * the maximum interval, so a fleet activated together does not call in together forever after.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function nextCheckInAt(now: Date, params: Schedule, random: () => number): Date {
  const max = params.checkInMaxHours * HOUR_SECONDS;
  const seconds = params.checkInJitter ? max * (0.5 + 0.5 * random()) : max;
  return addSeconds(now, Math.round(seconds));
}

/**
 * The certificate outlives the scheduled check-in by one more interval: an installation that
 * misses a check-in (offline, server down) keeps working, one that stays away for two does not.
 */
export function certificateExpiresAt(nextCheckIn: Date, params: Schedule): Date {
  return addSeconds(nextCheckIn, params.checkInMaxHours * HOUR_SECONDS);
}

/**
 * An installation activated with offline files never checks in, so its certificate cannot be
 * renewed as it runs: it lasts to the end of the license, the product's expiry grace included (a
 * sublicense's own date has none), and an offline refresh brings the next one.
 */
export function offlineCertificateExpiresAt(f: { subscriptionExpiresAt: Date; keyExpiresAt: Date | null; params: Pick<LicensingParams, 'expiryGraceDays'> }): Date {
  const subscriptionEnd = addDays(f.subscriptionExpiresAt, f.params.expiryGraceDays);
  return f.keyExpiresAt && f.keyExpiresAt < subscriptionEnd ? f.keyExpiresAt : subscriptionEnd;
}

export interface StandingFacts {
  now: Date;
  suspended: boolean;
  /** The subscription's expiry, or a trial's end. */
  subscriptionExpiresAt: Date;
  /** A sublicense's own expiry date, when it has one. */
  keyExpiresAt: Date | null;
  params: Pick<LicensingParams, 'expiryGraceDays' | 'overQuota' | 'overuseGraceDays'>;
  /** Seats the installation is licensed for. */
  seats: number;
  /** The latest reported peak of a bound installation (a farm, a proxy); null for per-installation products. */
  usagePeak: number | null;
  /** When usage first went over the seats; the overuse grace runs from there, once. */
  overLimitSince: Date | null;
}

export interface Standing {
  state: LicenseState;
  licenseExpiresAt: Date;
  graceUntil: Date | null;
  warnings: Warning[];
}

function expiryStanding(f: StandingFacts): Standing {
  const licenseExpiresAt = f.keyExpiresAt && f.keyExpiresAt < f.subscriptionExpiresAt ? f.keyExpiresAt : f.subscriptionExpiresAt;
  const standing = (state: LicenseState, warning: Warning | null, graceUntil: Date | null = null): Standing => ({
    state,
    licenseExpiresAt,
    graceUntil,
    warnings: warning ? [warning] : [],
  });
  if (f.suspended) return standing('expired', { code: 'subscription_suspended', message: 'The subscription is suspended' });
  // A sublicense's own date has no grace: on expiry its seats go back to the pool.
  if (f.keyExpiresAt && f.keyExpiresAt <= f.now) return standing('expired', { code: 'key_expired', message: 'The license key has expired' });
  if (f.subscriptionExpiresAt <= f.now) {
    const graceUntil = addDays(f.subscriptionExpiresAt, f.params.expiryGraceDays);
    if (graceUntil <= f.now) return standing('expired', { code: 'license_expired', message: 'The license has expired' });
    const daysLeft = daysUntil(graceUntil, f.now);
    return standing('grace', { code: 'expiry_grace', message: `The license has expired; it keeps working for ${daysLeft} more day(s)`, daysLeft }, graceUntil);
  }
  if (licenseExpiresAt.getTime() - f.now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS) {
    const daysLeft = daysUntil(licenseExpiresAt, f.now);
    return standing('active', { code: 'license_expiring', message: `The license expires in ${daysLeft} day(s)`, daysLeft });
  }
  return standing('active', null);
}

export const isOverLimit = (f: Pick<StandingFacts, 'usagePeak' | 'seats'>) => f.usagePeak !== null && f.usagePeak > f.seats;

/**
 * The moment usage went over the limit. Where going over starts the overuse grace, the moment is
 * kept when usage comes back within the limit, so the grace is given once: after it, the
 * installation stops while over the limit and runs again as soon as a report is back within it.
 * Only a purchase of more licenses clears it (a new grace). Where going over only warns, each
 * episode over the limit is its own, so the administrators hear of each one.
 */
export function overLimitSince(
  previous: Date | null,
  f: Pick<StandingFacts, 'usagePeak' | 'seats' | 'now'> & { params: Pick<LicensingParams, 'overQuota'> },
): Date | null {
  if (f.params.overQuota === 'grace_then_block') return previous ?? (isOverLimit(f) ? f.now : null);
  return isOverLimit(f) ? (previous ?? f.now) : null;
}

/**
 * While usage is over the seats, a product with a validation interval (the farm's 20 minutes) calls
 * in at that pace, so it stops soon after its grace ends and runs again soon after usage is back
 * within the limit; otherwise the ordinary schedule applies.
 */
export function nextValidationAt(now: Date, params: Schedule & Pick<LicensingParams, 'validationMinutes'>, overLimit: boolean, random: () => number): Date {
  if (overLimit && params.validationMinutes !== null) return addSeconds(now, params.validationMinutes * 60);
  return nextCheckInAt(now, params, random);
}

/** How the license stands: expiry and suspension first, then usage over the seats for bound products. */
export function licenseStanding(f: StandingFacts): Standing {
  const base = expiryStanding(f);
  if (base.state === 'expired' || !isOverLimit(f) || f.params.overQuota === 'block') return base;
  const over = `Usage of ${f.usagePeak} is over the ${f.seats} licensed seat(s)`;
  if (f.params.overQuota === 'warn') return { ...base, warnings: [...base.warnings, { code: 'over_limit', message: over }] };
  const graceEnd = overuseGraceEnd(f.overLimitSince ?? f.now, f.params);
  if (graceEnd <= f.now) return { ...base, state: 'over_limit', warnings: [...base.warnings, { code: 'over_limit', message: `${over}; the overuse grace period has ended` }] };
  const daysLeft = daysUntil(graceEnd, f.now);
  const graceUntil = base.graceUntil && base.graceUntil < graceEnd ? base.graceUntil : graceEnd;
  return {
    ...base,
    state: 'grace',
    graceUntil,
    warnings: [...base.warnings, { code: 'overuse_grace', message: `${over}; ${daysLeft} day(s) of overuse grace left`, daysLeft }],
  };
}

export interface LicenseClaims {
  keyId: string | null;
  subscriptionId: string | null;
  licenseType: string | null;
  /** The person whose seat licenses the installation, by the address they signed in with; left out for a key's seat. */
  user?: string;
  model: Product['model'];
  seats: number;
  state: LicenseState;
  licenseExpiresAt: string;
  graceUntil?: string;
  /** What the license enables in the product: the catalog's features of its product (and edition). */
  features: string[];
  /**
   * The products whose installations this certificate licenses as its own (`aud`): the earlier
   * editions that upgrade to it. An app that activated as one of them runs as `aud` from now on.
   * Left out when there are none.
   */
  upgradeOf?: string[];
  /** The configuration the installation should run with; its document comes with activations, check-ins and offline files. */
  profile?: ProfileClaims;
}

/** Names the configuration an installation should have applied: id null for the built-in Default. */
export interface ProfileClaims {
  id: string | null;
  name: string;
  version: number;
  /** The policies laid over the profile, in the order they apply; absent when there are none. */
  policies?: PolicyClaim[];
  hash: string;
}

/** A policy over the profile, by kind (configuration-policy.ts: a user group's policy is `group_policy`). */
export interface PolicyClaim {
  kind: string;
  id: string;
  name: string;
  version: number;
}

export interface CertificateClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  lic: LicenseClaims;
}

export interface CertificateInput {
  issuer: string;
  installationId: string;
  product: Pick<LicensedProduct, 'code' | 'model' | 'features' | 'upgradeOf'>;
  keyId: string | null;
  subscriptionId: string | null;
  licenseType: string | null;
  user?: string | null;
  seats: number;
  standing: Pick<Standing, 'state' | 'licenseExpiresAt' | 'graceUntil'>;
  profile: ProfileClaims;
  issuedAt: Date;
  expiresAt: Date;
}

const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** The signed claims. The license key itself never appears: only its id. */
export function certificateClaims(c: CertificateInput): CertificateClaims {
  return {
    iss: c.issuer,
    sub: c.installationId,
    aud: c.product.code,
    iat: epochSeconds(c.issuedAt),
    exp: epochSeconds(c.expiresAt),
    lic: {
      keyId: c.keyId,
      subscriptionId: c.subscriptionId,
      licenseType: c.licenseType,
      ...(c.user ? { user: c.user } : {}),
      model: c.product.model,
      seats: c.seats,
      state: c.standing.state,
      licenseExpiresAt: c.standing.licenseExpiresAt.toISOString(),
      ...(c.standing.graceUntil ? { graceUntil: c.standing.graceUntil.toISOString() } : {}),
      features: [...c.product.features],
      ...(c.product.upgradeOf.length > 0 ? { upgradeOf: [...c.product.upgradeOf] } : {}),
      profile: {
        id: c.profile.id,
        name: c.profile.name,
        version: c.profile.version,
        ...(c.profile.policies?.length ? { policies: c.profile.policies.map(({ kind, id, name, version }) => ({ kind, id, name, version })) } : {}),
        hash: c.profile.hash,
      },
    },
  };
}
