import { describe, expect, it } from 'vitest';
import { catalogProductSchema, checkProductChange, demoCatalog, productSchema } from '../../../src/domain/catalog.js';

const byCode = Object.fromEntries(demoCatalog.map((p) => [p.code, p]));

describe('the demo catalog', () => {
  it('holds the five products of the guides, each a valid catalog entry', () => {
    expect(demoCatalog.map((p) => p.code)).toEqual(['desktop-business', 'desktop-enterprise', 'ras', 'mac-sccm', 'device-management']);
    for (const p of demoCatalog) expect(catalogProductSchema.parse(p)).toEqual(p);
  });

  it('checks desktops in at random within 7 days, one seat per computer', () => {
    expect(byCode['desktop-business']!.params).toMatchObject({ checkInMaxHours: 168, checkInJitter: true, seatUnit: 'installation', installationsPerKey: null });
  });

  it('gives the farm 7 days of overuse grace, 30 days past expiry and 3 moves, validating every 20 minutes', () => {
    expect(byCode['ras']!.params).toMatchObject({
      seatUnit: 'concurrent_user',
      installationsPerKey: 1,
      overuseGraceDays: 7,
      expiryGraceDays: 30,
      maxMoves: 3,
      overQuota: 'grace_then_block',
      validationMinutes: 20,
    });
  });

  it('has the proxy products report weekly, refresh daily and only warn over the limit', () => {
    for (const code of ['mac-sccm', 'device-management']) {
      expect(byCode[code]!.params).toMatchObject({ usageReportDays: 7, checkInMaxHours: 24, overQuota: 'warn', installationsPerKey: 1 });
    }
    expect(byCode['device-management']!.licenseTypes).toEqual(['desktop', 'mobile']);
  });

  it('refuses a product whose rules are incomplete or unknown', () => {
    const { params, supportUrl: _support, ...rest } = demoCatalog[0]!;
    expect(productSchema.safeParse({ ...rest, params }).success).toBe(true);
    expect(productSchema.safeParse({ ...rest, params: { ...params, overQuota: 'maybe' } }).success).toBe(false);
    const { trialDays: _dropped, ...partial } = params;
    expect(productSchema.safeParse({ ...rest, params: partial }).success).toBe(false);
  });

  it('refuses periods and counts past any date the rules could compute from them', () => {
    const { params, supportUrl: _support, ...rest } = demoCatalog[0]!;
    const huge = Number.MAX_SAFE_INTEGER;
    for (const field of ['checkInMaxHours', 'expiryGraceDays', 'overuseGraceDays', 'maxMoves', 'usageReportDays', 'validationMinutes', 'trialDays', 'trialSeats'] as const) {
      expect([field, productSchema.safeParse({ ...rest, params: { ...params, [field]: huge } }).success]).toEqual([field, false]);
    }
    expect(productSchema.safeParse({ ...rest, params: { ...params, checkInMaxHours: 366 * 24, expiryGraceDays: 3660, trialDays: 366 } }).success).toBe(true);
  });
});

describe("a product's support address", () => {
  const { supportUrl: _url, ...rest } = demoCatalog[0]!;
  const withUrl = (supportUrl: unknown) => catalogProductSchema.safeParse({ ...rest, supportUrl });

  it('is a web page or an email address, or none', () => {
    for (const url of ['https://support.example.com/kb?product=1', 'http://intranet.example/help', 'mailto:help@example.com?subject=License', null]) {
      expect([url, withUrl(url).success]).toEqual([url, true]);
    }
    expect(catalogProductSchema.parse(rest).supportUrl).toBeNull();
  });

  it('is never a scheme a link could run, nor a partial address', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>x</script>', 'ftp://files.example.com', 'support.example.com', 'https://', 'mailto:', 'mailto:help', 'https://example.com/a b', '', `https://example.com/${'x'.repeat(500)}`]) {
      expect([url, withUrl(url).success]).toEqual([url, false]);
    }
  });
});

describe('replacing a product', () => {
  const deviceManagement = byCode['device-management']!;
  const ras = byCode['ras']!;

  it('keeps every license type subscriptions hold', () => {
    expect(checkProductChange({ ...deviceManagement, name: 'Renamed' }, ['desktop', 'mobile'])).toBeNull();
    expect(checkProductChange({ ...deviceManagement, licenseTypes: ['desktop', 'mobile', 'tv'] }, ['mobile'])).toBeNull();
    expect(checkProductChange({ ...deviceManagement, licenseTypes: ['desktop'] }, ['mobile'])).toMatch(/"mobile"/);
  });

  it('gives no license types to a product held without one, unless nobody holds it', () => {
    expect(checkProductChange({ ...ras, licenseTypes: ['small'] }, [null])).toMatch(/without a license type/);
    expect(checkProductChange({ ...ras, licenseTypes: ['small'] }, [])).toBeNull();
  });
});
