import { z } from 'zod';
import { desktopPayloadTypes, payloadTypesSchema } from './payloads.js';
import { supportUrlProblem } from './support-url.js';

/**
 * A product's licensing rules as data. The five demo products are five rows of this shape; a
 * sixth product is another row, with no code change.
 *
 * - `seatUnit` says what a seat is: an activated installation (per device), a concurrent user of
 *   a server farm, or a managed device reported by a proxy.
 * - `installationsPerKey`: null lets one key activate many installations (one seat each); 1 binds
 *   the key to a single installation (a farm, a proxy) whose seats come from its usage reports.
 */
// Upper bounds keep every date the rules compute from these well inside what a timestamp holds.
const YEAR_HOURS = 366 * 24;
const TEN_YEARS_DAYS = 3660;

export const licensingParamsSchema = z.strictObject({
  seatUnit: z.enum(['installation', 'user', 'concurrent_user', 'managed_device']),
  installationsPerKey: z.literal(1).nullable(),
  checkInMaxHours: z.number().int().positive().max(YEAR_HOURS),
  /** Check-ins come at random moments up to the maximum, so a fleet does not call in all at once. */
  checkInJitter: z.boolean(),
  /** How long an installation keeps running after its subscription expires. */
  expiryGraceDays: z.number().int().min(0).max(TEN_YEARS_DAYS),
  /** How long usage may exceed the quota before the installation is stopped (once per purchase). */
  overuseGraceDays: z.number().int().min(0).max(TEN_YEARS_DAYS),
  /** What going over the quota does: refuse, warn only, or allow the overuse grace first. */
  overQuota: z.enum(['block', 'warn', 'grace_then_block']),
  /** How many times a bound key may move to another installation; null is unlimited. */
  maxMoves: z.number().int().min(0).max(1000).nullable(),
  usageReportDays: z.number().int().positive().max(366).nullable(),
  /** Re-validation of usage against the quota while over it (the farm's 20 minutes). */
  validationMinutes: z.number().int().positive().max(7 * 24 * 60).nullable(),
  trialDays: z.number().int().positive().max(366),
  trialSeats: z.number().int().positive().max(1_000_000),
});

export type LicensingParams = z.infer<typeof licensingParamsSchema>;

const licenseTypeCode = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/);

/**
 * What a license type changes about a product, as data: the guides' SSO license is a per-user
 * type with a minimum purchase of 50, not sold online, whose seat belongs to a person on up to a
 * few machines, and which offers no sublicenses on Business. A type without rules sells and
 * activates like its product.
 */
export const licenseTypeRuleSchema = z.strictObject({
  /** Who holds a seat: an installation (activated with a key) or a person (activated by signing in). */
  seatHolder: z.enum(['installation', 'user']).default('installation'),
  minimumQuantity: z.number().int().min(1).max(1_000_000).default(1),
  soldOnline: z.boolean().default(true),
  /** For a per-user type: how many machines one person's seat covers. */
  machinesPerUser: z.number().int().min(1).max(100).default(3),
  sublicenses: z.boolean().default(true),
  /** For a per-user type: whether license keys may also activate its seats (Enterprise mixes both). */
  keyActivation: z.boolean().default(true),
});

export type LicenseTypeRule = z.output<typeof licenseTypeRuleSchema>;

const DEFAULT_TYPE_RULE: LicenseTypeRule = licenseTypeRuleSchema.parse({});

/** The rules of a subscription item's license type; an untyped item, or a type without rules, has the defaults. */
export function licenseTypeRule(product: Pick<Product, 'licenseTypeRules'>, licenseType: string | null): LicenseTypeRule {
  return (licenseType !== null && product.licenseTypeRules[licenseType]) || DEFAULT_TYPE_RULE;
}

/** Whether seats of this license type belong to people who activate by signing in. */
export const isPerUserType = (product: Pick<Product, 'licenseTypeRules'>, licenseType: string | null) => licenseTypeRule(product, licenseType).seatHolder === 'user';

const productFields = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,49}$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1).max(200),
  model: z.enum(['per_device', 'per_user', 'concurrent_users', 'per_managed_device']),
  licenseTypes: z.array(licenseTypeCode).max(10),
  /** Rules per license type (keys must be among licenseTypes); see licenseTypeRuleSchema. */
  licenseTypeRules: z.record(licenseTypeCode, licenseTypeRuleSchema).default({}),
  /** Whether an order must name one of licenseTypes; false also sells the product without one (per device). */
  licenseTypeRequired: z.boolean().default(true),
  params: licensingParamsSchema,
  /** What the license enables in the product, carried in every certificate (`lic.features`). */
  features: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).max(50).default([]),
  /** The configuration payloads the product's installations understand (payloads.ts). */
  payloadTypes: payloadTypesSchema.default([]),
  /**
   * The edition a subscription of this product converts to, and whose trial its customers may
   * start beside it (Business → Enterprise); null for none.
   */
  upgradeTo: z.string().regex(/^[a-z0-9][a-z0-9-]{1,49}$/).nullable().default(null),
});

function rulesNameTypes(p: Pick<z.output<typeof productFields>, 'licenseTypes' | 'licenseTypeRules'>, ctx: z.RefinementCtx) {
  for (const type of Object.keys(p.licenseTypeRules)) {
    if (!p.licenseTypes.includes(type)) ctx.addIssue({ code: 'custom', path: ['licenseTypeRules', type], message: `"${type}" is not one of licenseTypes` });
  }
}

export const productSchema = productFields.superRefine(rulesNameTypes);

export type Product = z.output<typeof productSchema>;

/**
 * A product as a certificate licenses it: with the products that upgrade to it (its earlier
 * editions, Business for Enterprise), whose installations run under its licenses too.
 */
export type LicensedProduct = Product & { upgradeOf: readonly string[] };

export const supportUrlSchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    const problem = supportUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('https://, http:// or mailto: address');

/**
 * A product as the catalog sells it: its licensing definition and where its customers get support
 * (shown on their dashboard until the support desk exists; null, or left out, for none).
 */
const catalogProductFields = productFields.extend({ supportUrl: supportUrlSchema.nullable().default(null) });
export const catalogProductSchema = catalogProductFields.superRefine(rulesNameTypes);
/** A catalog product as the vendor's PUT sends it: its code is in the path. */
export const catalogProductBodySchema = catalogProductFields.omit({ code: true }).superRefine(rulesNameTypes);

export type CatalogProduct = z.output<typeof catalogProductSchema>;

const desktop: LicensingParams = {
  seatUnit: 'installation',
  installationsPerKey: null,
  checkInMaxHours: 7 * 24,
  checkInJitter: true,
  expiryGraceDays: 0,
  overuseGraceDays: 0,
  overQuota: 'block',
  maxMoves: null,
  usageReportDays: null,
  validationMinutes: null,
  trialDays: 14,
  trialSeats: 1,
};

/** The guides' "activation using a corporate account" license: per user, 50 at least, sold by the vendor only. */
const ssoType = { seatHolder: 'user', minimumQuantity: 50, soldOnline: false, machinesPerUser: 3 } as const;

const proxy: LicensingParams = {
  seatUnit: 'managed_device',
  installationsPerKey: 1,
  checkInMaxHours: 24,
  checkInJitter: false,
  expiryGraceDays: 0,
  overuseGraceDays: 0,
  overQuota: 'warn',
  maxMoves: null,
  usageReportDays: 7,
  validationMinutes: null,
  trialDays: 30,
  trialSeats: 50,
};

/** The demo catalog: the five products of the guides with the values the guides give. */
export const demoCatalog: CatalogProduct[] = ([
  {
    code: 'desktop-business',
    name: 'Desktop Virtualization, Business Edition',
    model: 'per_device',
    licenseTypes: ['sso'],
    // Business sells no sublicenses of it, and its seats are taken by signing in only.
    licenseTypeRules: { sso: { ...ssoType, sublicenses: false, keyActivation: false } },
    licenseTypeRequired: false,
    params: desktop,
    features: ['configuration_profiles'],
    payloadTypes: desktopPayloadTypes,
    upgradeTo: 'desktop-enterprise',
    supportUrl: 'https://support.example.com/desktop-business',
  },
  {
    code: 'desktop-enterprise',
    name: 'Desktop Virtualization, Enterprise Edition',
    model: 'per_device',
    licenseTypes: ['sso'],
    // Enterprise mixes both in one subscription: some seats by keys, some by signing in.
    licenseTypeRules: { sso: { ...ssoType, sublicenses: true, keyActivation: true } },
    licenseTypeRequired: false,
    params: { ...desktop, trialDays: 30 },
    features: ['configuration_profiles', 'user_groups', 'policies', 'golden_images', 'vm_inventory'],
    payloadTypes: desktopPayloadTypes,
    upgradeTo: null,
    supportUrl: 'https://support.example.com/desktop-enterprise',
  },
  {
    code: 'ras',
    name: 'Remote Application Server',
    model: 'concurrent_users',
    licenseTypes: [],
    params: {
      seatUnit: 'concurrent_user',
      installationsPerKey: 1,
      checkInMaxHours: 24,
      checkInJitter: false,
      expiryGraceDays: 30,
      overuseGraceDays: 7,
      overQuota: 'grace_then_block',
      maxMoves: 3,
      usageReportDays: 1,
      validationMinutes: 20,
      trialDays: 30,
      trialSeats: 50,
    },
    features: [],
    payloadTypes: [],
    upgradeTo: null,
    supportUrl: 'https://support.example.com/ras',
  },
  {
    code: 'mac-sccm',
    name: 'Mac Management for Configuration Manager',
    model: 'per_managed_device',
    licenseTypes: [],
    params: proxy,
    features: [],
    payloadTypes: [],
    upgradeTo: null,
    supportUrl: 'https://support.example.com/mac-sccm',
  },
  {
    code: 'device-management',
    name: 'Device Management',
    model: 'per_managed_device',
    licenseTypes: ['desktop', 'mobile'],
    params: proxy,
    features: [],
    payloadTypes: [],
    upgradeTo: null,
    supportUrl: 'mailto:device-management-support@example.com',
  },
] satisfies z.input<typeof catalogProductSchema>[]).map((p) => catalogProductSchema.parse(p));

/**
 * Whether a product may be replaced by a new definition while subscriptions hold it: every
 * license type they were sold with must stay sellable, and a product sold without types cannot
 * start requiring one (nor the other way round), or their keys would stop matching the catalog.
 */
export function checkProductChange(next: Product, typesInUse: readonly (string | null)[]): string | null {
  for (const type of typesInUse) {
    if (type === null && next.licenseTypes.length > 0 && next.licenseTypeRequired) return 'subscriptions hold this product without a license type, so it cannot gain license types';
    if (type !== null && !next.licenseTypes.includes(type)) return `subscriptions hold license type "${type}", so it must stay in licenseTypes`;
  }
  return null;
}
