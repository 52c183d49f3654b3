import type { LicensedProduct, Product } from './catalog.js';
import { certificateClaims, certificateExpiresAt, licenseStanding, offlineCertificateExpiresAt, type CertificateClaims, type ProfileClaims, type Standing } from './certificate.js';
import { keySeats, shareOf, usageSeats, type PoolState, type SeatFigures } from './seat-pool.js';

/**
 * What an installation's license rests on, and what follows from it: the seats it licenses, how it
 * stands and the claims of its certificate. The key, subscription and item are the stored rows
 * (these rules read only the fields named here), so a caller keeps its own row types.
 */
export interface BasisKey {
  id: string;
  expires_at: Date | null;
}

export interface BasisSubscription {
  id: string;
  status: 'active' | 'suspended';
  expires_at: Date;
}

export interface BasisItem {
  id: string;
}

/** A key of a subscription item, or a trial. */
export type LicenseBasis<K extends BasisKey = BasisKey, S extends BasisSubscription = BasisSubscription, I extends BasisItem = BasisItem> =
  | { trial: false; product: LicensedProduct; key: K; subscription: S; item: I }
  | { trial: true; product: LicensedProduct; trialEnd: Date };

/** The fields of a stored installation its license's standing and claims read. */
export interface BasisInstallation {
  id: string;
  license_type: string | null;
  usage_peak: number | null;
  usage_current: number | null;
  over_limit_since: Date | null;
  /** Set when a person's seat licenses it (activated by signing in): the certificate names them. */
  user_seat_id?: string | null;
  activated_by?: string | null;
}

/** A product whose key serves one installation (a farm, a proxy), which reports its usage against the key's seats. */
export const isBound = (product: Pick<Product, 'params'>) => product.params.installationsPerKey === 1;

/** Whether the seats the certificate licenses come from the key's pool: only a bound key's do. */
export function seatsNeedPool<B extends LicenseBasis>(basis: B): basis is Extract<B, { trial: false }> {
  return !basis.trial && isBound(basis.product);
}

/** Whether the seats an installation's console shows come from the key's pool: a per-installation key's do. */
export function figuresNeedPool<B extends LicenseBasis>(basis: B): basis is Extract<B, { trial: false }> {
  return !basis.trial && !isBound(basis.product);
}

function poolOfBasis(basis: Extract<LicenseBasis, { trial: false }>, pool: PoolState | null): PoolState {
  if (!pool) throw new Error(`the seats of key ${basis.key.id} need its pool`);
  return pool;
}

/**
 * Seats the certificate licenses: one per installation, or for a bound installation its key's
 * share of the pool, the pool counting each bound key's reported use (seat-pool.ts, shareOf).
 */
export function licensedSeats(basis: LicenseBasis, pool: PoolState | null): number {
  if (basis.trial) return basis.product.params.trialSeats;
  if (!isBound(basis.product)) return 1;
  return shareOf(basis.key.id, poolOfBasis(basis, pool));
}

/** The key's seats as the installation's console shows them: the key's pool, or a bound installation's reported use. */
export function seatFigures(basis: LicenseBasis, installation: BasisInstallation, seats: number, pool: PoolState | null): SeatFigures {
  if (figuresNeedPool(basis)) return keySeats(basis.key.id, poolOfBasis(basis, pool));
  return usageSeats(seats, isBound(basis.product) ? installation.usage_current : 1);
}

export function standingOf(basis: LicenseBasis, installation: BasisInstallation, seats: number, now: Date): Standing {
  return licenseStanding({
    now,
    suspended: !basis.trial && basis.subscription.status === 'suspended',
    subscriptionExpiresAt: basis.trial ? basis.trialEnd : basis.subscription.expires_at,
    keyExpiresAt: basis.trial ? null : basis.key.expires_at,
    params: basis.product.params,
    seats,
    usagePeak: isBound(basis.product) ? installation.usage_peak : null,
    overLimitSince: installation.over_limit_since,
  });
}

/** What a certificate is issued from; `expiresAt` left out means one interval past the next check-in. */
export interface ClaimsInput {
  issuer: string;
  installation: BasisInstallation;
  basis: LicenseBasis;
  seats: number;
  /** The configuration the installation should run with (installation-configuration.ts). */
  configuration: ProfileClaims;
  now: Date;
  nextCheckInAt: Date;
  expiresAt?: Date | undefined;
}

export function claimsFor(c: ClaimsInput, standing: Pick<Standing, 'state' | 'licenseExpiresAt' | 'graceUntil'>): CertificateClaims {
  return certificateClaims({
    issuer: c.issuer,
    installationId: c.installation.id,
    product: c.basis.product,
    keyId: c.basis.trial ? null : c.basis.key.id,
    subscriptionId: c.basis.trial ? null : c.basis.subscription.id,
    licenseType: c.installation.license_type,
    user: c.installation.user_seat_id ? (c.installation.activated_by ?? null) : null,
    seats: c.seats,
    standing,
    profile: c.configuration,
    issuedAt: c.now,
    expiresAt: c.expiresAt ?? certificateExpiresAt(c.nextCheckInAt, c.basis.product.params),
  });
}

/** How the installation's license stands now, and the claims of its next certificate. */
export function certify(c: ClaimsInput): { standing: Standing; claims: CertificateClaims } {
  const standing = standingOf(c.basis, c.installation, c.seats, c.now);
  return { standing, claims: claimsFor(c, standing) };
}

/** When a certificate carried to an installation by hand ends: it cannot be renewed by check-ins. */
export function offlineExpiresAt(basis: LicenseBasis): Date {
  if (basis.trial) return basis.trialEnd;
  return offlineCertificateExpiresAt({ subscriptionExpiresAt: basis.subscription.expires_at, keyExpiresAt: basis.key.expires_at, params: basis.product.params });
}
