import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../src/domain/catalog.js';
import { nextUsageReportAt, overusePeriod, usageReportDue, type UsageScheduleFacts } from '../../../src/domain/usage-reports.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);
const params = (code: string) => demoCatalog.find((p) => p.code === code)!.params;
const facts = (code: string, f: Partial<UsageScheduleFacts> = {}): UsageScheduleFacts => ({
  params: params(code),
  lastReportedAt: null,
  now,
  nextCheckInAt: at(1),
  overLimit: false,
  ...f,
});

describe('when the next usage report is due', () => {
  it('is never for a product that takes no usage reports, whatever else holds', () => {
    for (const overLimit of [false, true]) {
      for (const lastReportedAt of [null, at(-3)]) expect(nextUsageReportAt(facts('desktop-business', { overLimit, lastReportedAt }))).toBeNull();
    }
  });

  it('is at once before the first report', () => {
    expect(nextUsageReportAt(facts('mac-sccm'))).toEqual(now);
    expect(nextUsageReportAt(facts('ras'))).toEqual(now);
  });

  it('is a week after the last report the server recorded for a proxy, a day for a farm', () => {
    expect(nextUsageReportAt(facts('mac-sccm', { lastReportedAt: now }))).toEqual(at(7));
    expect(nextUsageReportAt(facts('device-management', { lastReportedAt: at(-2) }))).toEqual(at(5));
    expect(nextUsageReportAt(facts('ras', { lastReportedAt: now }))).toEqual(at(1));
  });

  it('stays in the past when a report is overdue, so the next check-in carries one', () => {
    expect(nextUsageReportAt(facts('mac-sccm', { lastReportedAt: at(-10) }))).toEqual(at(-3));
  });

  it("follows a farm's 20-minute validation while it is over the limit", () => {
    const validation = new Date(now.getTime() + 20 * 60_000);
    expect(nextUsageReportAt(facts('ras', { lastReportedAt: now, overLimit: true, nextCheckInAt: validation }))).toEqual(validation);
    // An overdue report stays due at once rather than at the validation.
    expect(nextUsageReportAt(facts('ras', { lastReportedAt: at(-2), overLimit: true, nextCheckInAt: validation }))).toEqual(at(-1));
  });

  it('keeps the weekly schedule for a proxy over the limit: it only gets warnings and has no validation pace', () => {
    expect(nextUsageReportAt(facts('mac-sccm', { lastReportedAt: now, overLimit: true }))).toEqual(at(7));
  });

  it('is always the last report plus the cadence, or earlier only to validate an overuse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 366 }),
        fc.option(fc.integer({ min: 1, max: 7 * 24 * 60 })),
        fc.integer({ min: -400 * 24, max: 0 }),
        fc.integer({ min: 1, max: 24 * 7 }),
        fc.boolean(),
        (usageReportDays, validationMinutes, lastHours, checkInHours, overLimit) => {
          const lastReportedAt = new Date(now.getTime() + lastHours * HOUR);
          const nextCheckInAt = new Date(now.getTime() + checkInHours * HOUR);
          const due = nextUsageReportAt({ params: { usageReportDays, validationMinutes }, lastReportedAt, now, nextCheckInAt, overLimit })!;
          const cadence = lastReportedAt.getTime() + usageReportDays * DAY;
          if (overLimit && validationMinutes !== null) return due.getTime() === Math.min(cadence, nextCheckInAt.getTime());
          return due.getTime() === cadence;
        },
      ),
    );
  });
});

describe('whether a check-in carries a usage report', () => {
  const iso = (d: Date) => d.toISOString();

  it('does when the server has not said (never reported, or a server from before the schedule)', () => {
    expect(usageReportDue({ nextCheckInAt: iso(at(1)) }, now)).toBe(true);
  });

  it('never does for a product that takes no reports', () => {
    expect(usageReportDue({ nextUsageReportAt: null, nextCheckInAt: iso(at(30)) }, at(60))).toBe(false);
  });

  it('does once the report is due, by now or by the check-in the server scheduled', () => {
    expect(usageReportDue({ nextUsageReportAt: iso(at(7)), nextCheckInAt: iso(at(1)) }, now)).toBe(false);
    expect(usageReportDue({ nextUsageReportAt: iso(at(7)), nextCheckInAt: iso(at(1)) }, at(7))).toBe(true);
    // The check-in scheduled for a few seconds past the due time carries it, even from a clock a little behind.
    expect(usageReportDue({ nextUsageReportAt: iso(at(7)), nextCheckInAt: iso(new Date(at(7).getTime() + 5000)) }, at(6.9))).toBe(true);
    expect(usageReportDue({ nextUsageReportAt: iso(at(7)), nextCheckInAt: iso(new Date(at(7).getTime() - 1)) }, at(6.9))).toBe(false);
  });
});

describe('the time over the limit the usage chart marks', () => {
  it('is none while usage is within the limit', () => {
    for (const code of ['ras', 'mac-sccm', 'desktop-business']) expect(overusePeriod(params(code), null)).toBeNull();
  });

  it("is a farm's overuse grace: 7 days from going over", () => {
    expect(overusePeriod(params('ras'), now)).toEqual({ from: now, until: at(7), grace: true });
  });

  it('is, where going over only warns, the time since usage went over, still running', () => {
    expect(overusePeriod(params('mac-sccm'), now)).toEqual({ from: now, until: null, grace: false });
  });

  it('is none where going over is refused outright', () => {
    expect(overusePeriod({ overQuota: 'block', overuseGraceDays: 0 }, now)).toBeNull();
  });
});
