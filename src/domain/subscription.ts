export type SubscriptionStatus = 'active' | 'suspended';
export type SalesChannel = 'online' | 'reseller' | 'trial';
export type SupportPlan = 'standard' | 'premium';
export type Duration = '1m' | '1y' | '2y' | '3y';

export const DURATIONS = ['1m', '1y', '2y', '3y'] as const satisfies readonly Duration[];
export const EXPIRING_SOON_DAYS = 30;

const monthsOf: Record<Duration, number> = { '1m': 1, '1y': 12, '2y': 24, '3y': 36 };

/** A calendar extension: the same day-of-month later, clamped to the month's last day (Jan 31 + 1m = Feb 28/29). */
export function extendBy(from: Date, duration: Duration): Date {
  const months = monthsOf[duration];
  const target = new Date(from);
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** Monthly terms are sold online only; resellers sell whole years. */
export function durationAllowed(duration: Duration, channel: SalesChannel): boolean {
  return duration !== '1m' || channel === 'online';
}

/**
 * A renewal extends from the current expiry when the subscription is still running, so paying
 * early never loses days; an expired one starts again from today.
 */
export function renewedExpiry(currentExpiry: Date, now: Date, duration: Duration): Date {
  return extendBy(currentExpiry > now ? currentExpiry : now, duration);
}

export type DisplayStatus = 'active' | 'expiring_soon' | 'expired' | 'suspended';

export function displayStatus(s: { status: SubscriptionStatus; expires_at: Date }, now: Date): DisplayStatus {
  if (s.status === 'suspended') return 'suspended';
  if (s.expires_at <= now) return 'expired';
  return s.expires_at.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * 86_400_000 ? 'expiring_soon' : 'active';
}
