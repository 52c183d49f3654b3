import type { LicensingParams } from './catalog.js';
import { addDays } from './clock.js';

/**
 * When an installation owes its next usage report (the guides: a proxy reports weekly and
 * refreshes every 24 hours; a farm reports daily). The schedule runs from the server's own record
 * of the last report, not the installation's `measuredAt`, so a machine with a wrong clock cannot
 * move it. A report that comes early is kept all the same and the schedule runs from it.
 */
export interface UsageScheduleFacts {
  params: Pick<LicensingParams, 'usageReportDays' | 'validationMinutes'>;
  /** When the server recorded the installation's latest usage report; null before the first. */
  lastReportedAt: Date | null;
  now: Date;
  /** The check-in the server has just scheduled. */
  nextCheckInAt: Date;
  /** Usage is over the seats (a bound installation's latest report). */
  overLimit: boolean;
}

/**
 * Null for a product that takes no usage reports. A first report is due at once. While over the
 * limit, a product that re-validates (the farm's 20 minutes) needs a fresh report at each of those
 * check-ins, or it could never learn that usage came back within the limit.
 */
export function nextUsageReportAt(f: UsageScheduleFacts): Date | null {
  const days = f.params.usageReportDays;
  if (days === null) return null;
  const due = f.lastReportedAt === null ? f.now : addDays(f.lastReportedAt, days);
  if (f.overLimit && f.params.validationMinutes !== null && f.nextCheckInAt < due) return f.nextCheckInAt;
  return due;
}

/**
 * The installation's side: whether this check-in carries a usage report. It does when the server
 * said one is due by now, or by the check-in the server scheduled (this call stands in for that
 * one, so an early check-in does not push the report a whole interval later, and clocks a little
 * apart do not decide it), or when the server has not said yet (never reported). Null: the
 * product takes no reports.
 */
export function usageReportDue(schedule: { nextUsageReportAt?: string | null | undefined; nextCheckInAt: string }, now: Date): boolean {
  if (schedule.nextUsageReportAt === undefined) return true;
  if (schedule.nextUsageReportAt === null) return false;
  const due = Date.parse(schedule.nextUsageReportAt);
  return due <= Math.max(now.getTime(), Date.parse(schedule.nextCheckInAt));
}

/** The end of the overuse grace that began when usage went over the limit. */
export const overuseGraceEnd = (since: Date, params: Pick<LicensingParams, 'overuseGraceDays'>) => addDays(since, params.overuseGraceDays);

/**
 * The stretch of time over the limit that the portal's usage chart marks: where going over starts
 * a grace, that grace (kept after usage comes back, since it is given once); where it only warns,
 * the time since usage went over (`until` null: it still is). Null when usage is within the limit,
 * or where going over is refused outright.
 */
export function overusePeriod(
  params: Pick<LicensingParams, 'overQuota' | 'overuseGraceDays'>,
  overLimitSince: Date | null,
): { from: Date; until: Date | null; grace: boolean } | null {
  if (overLimitSince === null || params.overQuota === 'block') return null;
  if (params.overQuota === 'warn') return { from: overLimitSince, until: null, grace: false };
  return { from: overLimitSince, until: overuseGraceEnd(overLimitSince, params), grace: true };
}
