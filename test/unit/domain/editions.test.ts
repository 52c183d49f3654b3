import { describe, expect, it } from 'vitest';
import { demoCatalog, type Product } from '../../../src/domain/catalog.js';
import { convertedName, copiedProfileName, permanentName, planConversion, trialEdition, trialName, type EditionItem } from '../../../src/domain/editions.js';

const catalog = new Map<string, Product>(demoCatalog.map((p) => [p.code, p]));
const item = (id: string, productCode: string, over: Partial<EditionItem> = {}): EditionItem => ({ id, productCode, licenseType: null, convertedFrom: null, ...over });
const BUSINESS = 'Desktop Virtualization, Business Edition';
const ENTERPRISE = 'Desktop Virtualization, Enterprise Edition';

describe('planning a conversion', () => {
  it('converts each line whose product has an upgrade, and leaves the others', () => {
    const plan = planConversion([item('a', 'desktop-business'), item('b', 'ras')], catalog);
    expect(plan.ok && plan.lines.map((l) => [l.itemId, l.from.code, l.to.code])).toEqual([['a', 'desktop-business', 'desktop-enterprise']]);
  });

  it.each([
    ['no line has an upgrade', [item('b', 'ras')], 'edition_not_convertible'],
    ['the upgrade is held already beside it', [item('a', 'desktop-business'), item('e', 'desktop-enterprise')], 'edition_not_convertible'],
    ['it was converted before', [item('a', 'desktop-enterprise', { convertedFrom: 'desktop-business' })], 'already_converted'],
    ['it holds nothing', [], 'edition_not_convertible'],
  ])('refuses when %s', (_label, items, code) => {
    expect(planConversion(items, catalog)).toMatchObject({ ok: false, code });
  });

  it('ignores an upgrade the catalog does not have', () => {
    const broken = new Map(catalog).set('desktop-business', { ...catalog.get('desktop-business')!, upgradeTo: 'gone' });
    expect(planConversion([item('a', 'desktop-business')], broken)).toMatchObject({ ok: false, code: 'edition_not_convertible' });
  });
});

describe('the edition a trial is of', () => {
  it('is the upgrade of the subscription’s product, whether named or not', () => {
    expect(trialEdition([item('a', 'desktop-business')], catalog)).toMatchObject({ ok: true, line: { itemId: 'a', to: { code: 'desktop-enterprise' } } });
    expect(trialEdition([item('a', 'desktop-business')], catalog, 'desktop-enterprise')).toMatchObject({ ok: true });
  });

  it('refuses a product with no other edition, and a named product that is not its upgrade', () => {
    expect(trialEdition([item('b', 'ras')], catalog)).toMatchObject({ ok: false, code: 'edition_not_convertible' });
    expect(trialEdition([item('a', 'desktop-business')], catalog, 'ras')).toMatchObject({ ok: false, field: 'product' });
  });

  it('needs the edition named when the products upgrade to different ones', () => {
    const two = new Map(catalog).set('ras', { ...catalog.get('ras')!, upgradeTo: 'mac-sccm' });
    const items = [item('a', 'desktop-business'), item('b', 'ras')];
    expect(trialEdition(items, two)).toMatchObject({ ok: false, field: 'product' });
    expect(trialEdition(items, two, 'mac-sccm')).toMatchObject({ ok: true, line: { itemId: 'b' } });
  });
});

describe('names', () => {
  const line = { from: catalog.get('desktop-business')!, to: catalog.get('desktop-enterprise')! };

  it('says the new edition where the name said the old one, and keeps a name of the customer’s own', () => {
    expect(convertedName(`${BUSINESS} - 10 licenses - valid till 2027-01-01`, [line])).toBe(`${ENTERPRISE} - 10 licenses - valid till 2027-01-01`);
    expect(convertedName('Design studio Macs', [line])).toBe('Design studio Macs');
  });

  it('gives a trial made permanent the name of a new subscription unless the customer renamed it', () => {
    expect(permanentName(trialName('Old default'), 'New default')).toBe('New default');
    expect(permanentName('Our Enterprise pilot', 'New default')).toBe('Our Enterprise pilot');
  });

  it('names a copied profile by its edition, numbered when taken, never longer than a profile name may be', () => {
    expect(copiedProfileName('Design', 'Enterprise', new Set())).toBe('Design (Enterprise)');
    expect(copiedProfileName('Design', 'Enterprise', new Set(['design (enterprise)']))).toBe('Design (Enterprise 2)');
    expect(copiedProfileName('Design', 'Enterprise', new Set(['design (enterprise)', 'design (enterprise 2)']))).toBe('Design (Enterprise 3)');
    const long = copiedProfileName('x'.repeat(100), ENTERPRISE, new Set());
    expect(long).toHaveLength(100);
    expect(long.endsWith(`(${ENTERPRISE})`)).toBe(true);
  });
});
