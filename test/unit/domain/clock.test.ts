import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addSeconds, DAY_MS, daysUntil, systemClock } from '../../../src/domain/clock.js';

// Dates across the years a license can run, and offsets of up to ten years either way.
const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
const seconds = fc.integer({ min: -10 * 366 * 86_400, max: 10 * 366 * 86_400 });
const days = fc.integer({ min: -3660, max: 3660 });

describe('the system clock', () => {
  it('tells the time of the machine, each call a Date of its own', () => {
    const before = Date.now();
    const now = systemClock.now();
    const after = Date.now();
    expect(now.getTime()).toBeGreaterThanOrEqual(before);
    expect(now.getTime()).toBeLessThanOrEqual(after);
    const first = systemClock.now();
    first.setTime(0);
    expect(systemClock.now().getTime()).toBeGreaterThanOrEqual(before);
  });
});

describe('adding seconds and days', () => {
  it('moves a date by exactly that many seconds, either way, leaving the date itself alone', () => {
    fc.assert(
      fc.property(date, seconds, (d, s) => {
        const copy = new Date(d);
        const moved = addSeconds(d, s);
        expect(moved.getTime() - d.getTime()).toBe(s * 1000);
        expect(d).toEqual(copy);
      }),
    );
  });

  it('adds in steps the same as at once, and back again to where it started', () => {
    fc.assert(
      fc.property(date, seconds, seconds, (d, a, b) => {
        expect(addSeconds(addSeconds(d, a), b)).toEqual(addSeconds(d, a + b));
        expect(addSeconds(addSeconds(d, a), -a)).toEqual(d);
      }),
    );
  });

  it('counts a day as 86,400 seconds, whatever the calendar or daylight saving says', () => {
    expect(DAY_MS).toBe(86_400_000);
    // 2024 is a leap year and Europe changes its clocks on 31 March; neither matters here.
    expect(addDays(new Date('2024-02-28T12:00:00Z'), 2).toISOString()).toBe('2024-03-01T12:00:00.000Z');
    expect(addDays(new Date('2024-03-30T12:00:00Z'), 1).toISOString()).toBe('2024-03-31T12:00:00.000Z');
    expect(addDays(new Date('2025-01-01T00:00:00Z'), -1).toISOString()).toBe('2024-12-31T00:00:00.000Z');
    fc.assert(
      fc.property(date, days, (d, n) => {
        expect(addDays(d, n)).toEqual(addSeconds(d, n * 86_400));
        expect(addDays(d, n).getTime() - d.getTime()).toBe(n * DAY_MS);
      }),
    );
  });

  it('keeps fractions of a second and of a day', () => {
    const d = new Date('2025-06-01T00:00:00Z');
    expect(addSeconds(d, 0.25).toISOString()).toBe('2025-06-01T00:00:00.250Z');
    expect(addDays(d, 0.5).toISOString()).toBe('2025-06-01T12:00:00.000Z');
  });
});

describe('days until a date', () => {
  const now = new Date('2025-06-01T09:30:00Z');

  it.each([
    [0, 0],
    [1, 1],
    [DAY_MS - 1, 1],
    [DAY_MS, 1],
    [DAY_MS + 1, 2],
    [6.2 * DAY_MS, 7],
    [7 * DAY_MS, 7],
    [30 * DAY_MS, 30],
  ])('counts %d ms ahead as %d day(s), a part day as a whole one', (ms, expected) => {
    expect(daysUntil(new Date(now.getTime() + ms), now)).toBe(expected);
  });

  it('is 0 for a date that has passed, however long ago', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3660 * DAY_MS }), (ms) => {
        expect(daysUntil(new Date(now.getTime() - ms), now)).toBe(0);
      }),
    );
  });

  it('is the fewest whole days after which the date is reached', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 3660 * DAY_MS }), (from, ms) => {
        const end = new Date(from.getTime() + ms);
        const n = daysUntil(end, from);
        expect(addDays(from, n).getTime()).toBeGreaterThanOrEqual(end.getTime());
        expect(addDays(from, n - 1).getTime()).toBeLessThan(end.getTime());
      }),
    );
  });

  it('undoes adding whole days, and never grows as time passes', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 3660 }), fc.integer({ min: 0, max: 3660 * DAY_MS }), (from, n, later) => {
        const end = addDays(from, n);
        expect(daysUntil(end, from)).toBe(n);
        expect(daysUntil(end, new Date(from.getTime() + later))).toBeLessThanOrEqual(n);
      }),
    );
  });
});
