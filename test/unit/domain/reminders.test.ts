import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, DAY_MS, daysUntil } from '../../../src/domain/clock.js';
import { REMINDER_DAYS } from '../../../src/domain/reminders.js';
import { EXPIRING_SOON_DAYS } from '../../../src/domain/subscription.js';

/** The reminder due at `now` for a subscription expiring at `end`: the nearest threshold it is within (as the reminder job picks it). */
const dueThreshold = (end: Date, now: Date) => {
  const within = REMINDER_DAYS.filter((d) => end <= addDays(now, d));
  return end > now && within.length > 0 ? Math.min(...within) : null;
};

describe('expiry reminders', () => {
  it('go out 30, 7 and 1 day before a subscription expires', () => {
    expect(REMINDER_DAYS).toEqual([30, 7, 1]);
  });

  it('start the day a subscription starts counting as expiring soon, so the email and the filter agree', () => {
    expect(REMINDER_DAYS[0]).toBe(EXPIRING_SOON_DAYS);
    expect(Math.max(...REMINDER_DAYS)).toBe(EXPIRING_SOON_DAYS);
  });

  it('come nearer each time, on whole days, the last one the day before', () => {
    for (const [i, d] of REMINDER_DAYS.entries()) {
      expect(Number.isInteger(d)).toBe(true);
      if (i > 0) expect(d).toBeLessThan(REMINDER_DAYS[i - 1]!);
    }
    expect(REMINDER_DAYS.at(-1)).toBe(1);
  });

  it('say exactly as many days as the reminder is for when sent on time', () => {
    const now = new Date('2025-06-01T08:00:00Z');
    for (const d of REMINDER_DAYS) {
      const end = addDays(now, d);
      expect(dueThreshold(end, now)).toBe(d);
      expect(daysUntil(end, now)).toBe(d);
    }
  });

  it('never tell of more days left than the reminder is for, nor of none, however late it goes out', () => {
    const now = new Date('2025-06-01T08:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: EXPIRING_SOON_DAYS * DAY_MS }), (ms) => {
        const end = new Date(now.getTime() + ms);
        const due = dueThreshold(end, now);
        expect(due).not.toBeNull();
        const left = daysUntil(end, now);
        expect(left).toBeGreaterThanOrEqual(1);
        expect(left).toBeLessThanOrEqual(due!);
      }),
    );
  });

  it('leave alone a subscription further out than the first reminder, or already expired', () => {
    const now = new Date('2025-06-01T08:00:00Z');
    expect(dueThreshold(new Date(addDays(now, EXPIRING_SOON_DAYS).getTime() + 1), now)).toBeNull();
    expect(dueThreshold(now, now)).toBeNull();
  });
});
