import { describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../src/domain/catalog.js';
import { checkChange, checkItems, checkOrder, trialTerms } from '../../../src/domain/order.js';

const catalog = new Map(demoCatalog.map((p) => [p.code, p]));
const product = (code: string) => catalog.get(code)!;
const line = (productCode: string, quantity = 5, licenseType: string | null = null) => ({ productCode, licenseType, quantity });
const fieldOf = (p: { field: string } | null) => p?.field ?? null;

describe('order lines', () => {
  it('takes known products with the license type each needs', () => {
    expect(checkItems([line('desktop-business'), line('ras', 50)], catalog)).toBeNull();
    expect(checkItems([line('device-management', 5, 'desktop')], catalog)).toBeNull();
  });

  it.each([
    ['no lines', [], 'items'],
    ['an unknown product', [line('nope')], 'items.0.productCode'],
    ['a typed product without its type', [line('device-management')], 'items.0.licenseType'],
    ['a type the product does not have', [line('device-management', 5, 'tablet')], 'items.0.licenseType'],
    ['a type on an untyped product', [line('ras', 5, 'desktop')], 'items.0.licenseType'],
    ['the same line twice', [line('ras'), line('ras')], 'items.1'],
    ['two license types of one product', [line('device-management', 5, 'desktop'), line('device-management', 5, 'mobile')], 'items.1.licenseType'],
    ['no seats', [line('ras', 0)], 'items.0.quantity'],
    ['part of a seat', [line('ras', 1.5)], 'items.0.quantity'],
  ])('refuses %s', (_label, items, field) => {
    expect(fieldOf(checkItems(items, catalog))).toBe(field);
  });

  it('keeps a subscription to the license type it already holds', () => {
    const held = [{ productCode: 'device-management', licenseType: 'mobile' }];
    expect(fieldOf(checkItems([line('device-management', 5, 'desktop')], catalog, held))).toBe('items.0.licenseType');
    expect(checkItems([line('device-management', 5, 'mobile'), line('ras')], catalog, held)).toBeNull();
  });
});

describe('the per-user SSO license type', () => {
  it('is sold 50 at least, and a purchase of more on a held line takes any number', () => {
    expect(checkItems([line('desktop-business', 50, 'sso')], catalog)).toBeNull();
    expect(checkItems([line('desktop-business', 49, 'sso')], catalog)).toEqual({ field: 'items.0.quantity', message: expect.stringContaining('50 licenses at least') });
    const held = [{ productCode: 'desktop-business', licenseType: 'sso' }];
    expect(checkItems([line('desktop-business', 5, 'sso')], catalog, held)).toBeNull();
  });

  it('is not sold online, while the same product per device is', () => {
    expect(fieldOf(checkItems([line('desktop-enterprise', 60, 'sso')], catalog, [], 'online'))).toBe('channel');
    expect(checkItems([line('desktop-enterprise', 5)], catalog, [], 'online')).toBeNull();
  });

  it('sits beside per-device seats of the same product in one subscription, in either order', () => {
    expect(checkItems([line('desktop-enterprise', 60, 'sso'), line('desktop-enterprise', 5)], catalog)).toBeNull();
    expect(checkItems([line('desktop-enterprise', 5), line('desktop-enterprise', 60, 'sso')], catalog)).toBeNull();
    expect(checkItems([line('desktop-enterprise', 5)], catalog, [{ productCode: 'desktop-enterprise', licenseType: 'sso' }])).toBeNull();
  });
});

describe('a new order', () => {
  const order = { items: [line('ras')], duration: '1y' as const, channel: 'reseller' as const, autoRenew: false };

  it('sells months and auto-renewal online only', () => {
    expect(fieldOf(checkOrder({ ...order, duration: '1m' }, catalog))).toBe('duration');
    expect(fieldOf(checkOrder({ ...order, autoRenew: true }, catalog))).toBe('autoRenew');
    expect(checkOrder({ ...order, channel: 'online', duration: '1m', autoRenew: true }, catalog)).toBeNull();
  });
});

describe('a renewal or purchase on a subscription', () => {
  it('follows the channel the subscription was sold on, and leaves trials alone', () => {
    expect(checkChange('online', '1m')).toBeNull();
    expect(fieldOf(checkChange('reseller', '1m'))).toBe('duration');
    expect(checkChange('reseller', '3y')).toBeNull();
    expect(fieldOf(checkChange('trial', '1y'))).toBe('subscription');
    expect(fieldOf(checkChange('trial', null))).toBe('subscription');
    expect(checkChange('reseller', null)).toBeNull();
  });
});

describe('trial terms', () => {
  it("defaults to the product's trial seats and days", () => {
    expect(trialTerms(product('ras'), { licenseType: null })).toEqual({ ok: true, item: line('ras', 50), days: 30 });
    expect(trialTerms(product('desktop-business'), { licenseType: null })).toEqual({ ok: true, item: line('desktop-business', 1), days: 14 });
  });

  it('takes the operator’s choice up to 90 days', () => {
    expect(trialTerms(product('device-management'), { licenseType: 'mobile', quantity: 3, days: 90 })).toEqual({ ok: true, item: line('device-management', 3, 'mobile'), days: 90 });
  });

  it.each([
    [{ licenseType: null, days: 91 }, 'days'],
    [{ licenseType: null, days: 0 }, 'days'],
    [{ licenseType: null, quantity: 0 }, 'quantity'],
    [{ licenseType: 'desktop' }, 'licenseType'],
  ])('refuses %o', (chosen, field) => {
    const terms = trialTerms(product('ras'), chosen);
    expect(terms.ok ? null : terms.problem.field).toBe(field);
  });
});
