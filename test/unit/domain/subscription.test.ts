import { describe, expect, it } from 'vitest';
import { displayStatus, durationAllowed, extendBy, renewedExpiry } from '../../../src/domain/subscription.js';

const d = (s: string) => new Date(s);

describe('subscription terms', () => {
  it.each([
    ['2026-01-15T10:00:00Z', '1m', '2026-02-15T10:00:00Z'],
    ['2026-01-31T10:00:00Z', '1m', '2026-02-28T10:00:00Z'],
    ['2028-01-31T00:00:00Z', '1m', '2028-02-29T00:00:00Z'],
    ['2026-03-01T00:00:00Z', '1y', '2027-03-01T00:00:00Z'],
    ['2028-02-29T00:00:00Z', '1y', '2029-02-28T00:00:00Z'],
    ['2026-05-20T00:00:00Z', '2y', '2028-05-20T00:00:00Z'],
    ['2026-05-20T00:00:00Z', '3y', '2029-05-20T00:00:00Z'],
  ] as const)('%s + %s = %s', (from, duration, to) => {
    expect(extendBy(d(from), duration).toISOString()).toBe(d(to).toISOString());
  });

  it('sells monthly terms online only', () => {
    expect(durationAllowed('1m', 'online')).toBe(true);
    expect(durationAllowed('1m', 'reseller')).toBe(false);
    expect(durationAllowed('1y', 'reseller')).toBe(true);
  });

  it('renews a running subscription from its expiry and an expired one from today', () => {
    expect(renewedExpiry(d('2027-01-01T00:00:00Z'), d('2026-12-01T00:00:00Z'), '1y').toISOString()).toBe('2028-01-01T00:00:00.000Z');
    expect(renewedExpiry(d('2026-01-01T00:00:00Z'), d('2026-12-01T00:00:00Z'), '1y').toISOString()).toBe('2027-12-01T00:00:00.000Z');
  });

  it('tells active, expiring soon (30 days), expired and suspended apart', () => {
    const now = d('2026-06-01T00:00:00Z');
    expect(displayStatus({ status: 'active', expires_at: d('2026-08-01T00:00:00Z') }, now)).toBe('active');
    expect(displayStatus({ status: 'active', expires_at: d('2026-07-01T00:00:00Z') }, now)).toBe('expiring_soon');
    expect(displayStatus({ status: 'active', expires_at: d('2026-06-01T00:00:00Z') }, now)).toBe('expired');
    expect(displayStatus({ status: 'suspended', expires_at: d('2026-08-01T00:00:00Z') }, now)).toBe('suspended');
  });
});
