import type { Product } from './catalog.js';

/**
 * Editions (capability 10, the Enterprise guide's "Upgrading from Business Edition"): a product
 * names the edition it upgrades to (`upgradeTo`, Business → Enterprise). An account holding it may
 * try that edition beside it, once, and the vendor converts a chosen subscription to it. One app
 * runs either edition: which one comes from the license, not from the app.
 */

/** A subscription's product line, as these rules read it. */
export interface EditionItem {
  id: string;
  productCode: string;
  licenseType: string | null;
  /** The product the line held before a conversion; null for one never converted. */
  convertedFrom: string | null;
}

/** One line of a conversion: the item keeps its id, keys, seats and installations, and changes product. */
export interface ItemConversion {
  itemId: string;
  from: Product;
  to: Product;
}

export type EditionRefusal = 'edition_not_convertible' | 'already_converted';

export type ConversionPlan = { ok: true; lines: ItemConversion[] } | { ok: false; code: EditionRefusal; message: string };

/** The lines whose product upgrades to another in the catalog, each with that upgrade. */
function upgradable(items: readonly EditionItem[], catalog: ReadonlyMap<string, Product>): ItemConversion[] {
  return items.flatMap((item) => {
    const from = catalog.get(item.productCode);
    const to = from?.upgradeTo ? catalog.get(from.upgradeTo) : undefined;
    return from && to ? [{ itemId: item.id, from, to }] : [];
  });
}

/**
 * What converting a subscription changes: every line whose product has an upgrade becomes that
 * upgrade. Refused when no line has one (told apart from a subscription converted before), and
 * when the subscription already holds the upgrade with the same license type beside it: two lines
 * of one product would split one pool in two.
 */
export function planConversion(items: readonly EditionItem[], catalog: ReadonlyMap<string, Product>): ConversionPlan {
  const lines = upgradable(items, catalog);
  if (lines.length === 0) {
    return items.some((i) => i.convertedFrom !== null)
      ? { ok: false, code: 'already_converted', message: 'This subscription was already converted to its upgrade edition' }
      : { ok: false, code: 'edition_not_convertible', message: 'No product of this subscription has an edition to convert to' };
  }
  for (const line of lines) {
    const type = items.find((i) => i.id === line.itemId)!.licenseType;
    if (items.some((i) => i.productCode === line.to.code && i.licenseType === type)) {
      return { ok: false, code: 'edition_not_convertible', message: `This subscription already holds ${line.to.name} beside ${line.from.name}` };
    }
  }
  return { ok: true, lines };
}

export type TrialEdition = { ok: true; line: ItemConversion } | { ok: false; code: 'edition_not_convertible'; message: string; field?: string };

/**
 * The edition a trial beside this subscription is of: the upgrade of one of its lines, the one
 * named when its lines upgrade to different products.
 */
export function trialEdition(items: readonly EditionItem[], catalog: ReadonlyMap<string, Product>, chosen?: string): TrialEdition {
  const lines = upgradable(items, catalog);
  if (lines.length === 0) return { ok: false, code: 'edition_not_convertible', message: 'No product of this subscription has another edition to try' };
  const targets = [...new Set(lines.map((l) => l.to.code))];
  if (chosen === undefined) {
    if (targets.length > 1) return { ok: false, code: 'edition_not_convertible', message: `Name the edition to try: one of ${targets.join(', ')}`, field: 'product' };
    return { ok: true, line: lines[0]! };
  }
  const line = lines.find((l) => l.to.code === chosen);
  return line ? { ok: true, line } : { ok: false, code: 'edition_not_convertible', message: `${chosen} is not an edition this subscription upgrades to`, field: 'product' };
}

/** A converted subscription's name says its new edition where it said the old one; a name of the customer's own is kept. */
export function convertedName(name: string, lines: readonly Pick<ItemConversion, 'from' | 'to'>[]): string {
  return lines.reduce((current, l) => current.split(l.from.name).join(l.to.name), name);
}

/** What a trial subscription's name starts with until it is made permanent. */
export const TRIAL_NAME_PREFIX = 'Trial: ';

export const trialName = (name: string) => `${TRIAL_NAME_PREFIX}${name}`;

/** A trial made permanent takes the name a new subscription gets; a name the customer gave it is kept. */
export function permanentName(current: string, defaultName: string): string {
  return current.startsWith(TRIAL_NAME_PREFIX) ? defaultName : current;
}

/**
 * The name of a profile copied into the upgrade edition. Profile names are unique in an account
 * whatever their product, letter case aside (`taken` holds them in lower case), so the copy says
 * its edition, and a number when that name is taken too; it is cut to fit the longest name.
 */
export function copiedProfileName(name: string, edition: string, taken: ReadonlySet<string>, maxLength = 100): string {
  for (let n = 1; ; n++) {
    const suffix = ` (${edition}${n === 1 ? '' : ` ${n}`})`;
    const candidate = `${name.slice(0, Math.max(1, maxLength - suffix.length))}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
