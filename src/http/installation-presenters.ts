import { z } from 'zod';
import type { InstallationCountsRow, InstallationListRow } from '../data/repositories/installation-admin.js';
import type { InstallationDetails, KeyUsage } from '../services/installations/list-installations.js';
import { INSTALLATION_COLUMN_LABELS, INSTALLATION_ID_LABEL, installationStateLabel, pendingActionLabel, type InstallationColumn } from '../domain/installation-columns.js';
import type { CsvColumn } from './csv.js';
import { iso } from './presenters.js';
import { appliedState } from '../domain/configuration-profile.js';
import { POLICY_KINDS } from '../domain/configuration-policy.js';
import { DEFAULT_PROFILE_NAME } from '../domain/default-profile.js';

// The installation lists and details of the portal (PRODUCT.md, capability 7): camelCase, ISO timestamps.
interface Hardware {
  serialNumber?: string;
  model?: string;
  cpuArch?: string;
  macAddresses?: string[];
  ipAddresses?: string[];
}
const hardwareOf = (row: { hardware: Record<string, unknown> }) => row.hardware as Hardware;
const siteOf = (row: { site: Record<string, unknown> }) => row.site as { siteCode?: string; siteDescription?: string; serverId?: string };

const nullableString = z.string().nullable();
const keyRefSchema = z.object({ id: z.string(), name: z.string() }).nullable().describe('The license key (never its text); null when it was deleted');
const productRefSchema = z.object({ code: z.string(), name: z.string() });
const profileRefSchema = z.object({ id: z.string(), name: z.string() }).nullable().describe("The key's configuration profile; null: the built-in Default");
const stateSchema = z.enum(['active', 'deactivated']);
const pendingSchema = z.enum(['deactivate', 'move']).nullable();

/**
 * The list's columns, each with its JSON shape, JSON value and CSV cell. A caller picks a subset;
 * the id always comes along so a row can be acted on.
 */
function column<S extends z.ZodType>(schema: S, value: (r: InstallationListRow) => z.infer<S>, cell: (r: InstallationListRow) => string | number | null) {
  return { schema, value, cell };
}

const joined = (xs: string[] | undefined) => (xs && xs.length > 0 ? xs.join(' ') : null);

export const LIST_COLUMNS = {
  name: column(nullableString, (r) => r.name, (r) => r.name),
  alias: column(nullableString, (r) => r.alias, (r) => r.alias),
  state: column(stateSchema, (r) => r.state, (r) => installationStateLabel({ state: r.state, blacklisted: r.blacklisted_at !== null })),
  blacklisted: column(z.boolean(), (r) => r.blacklisted_at !== null, (r) => (r.blacklisted_at !== null ? 'yes' : 'no')),
  product: column(productRefSchema, (r) => ({ code: r.product_code, name: r.product_name }), (r) => r.product_code),
  licenseType: column(nullableString, (r) => r.license_type, (r) => r.license_type),
  key: column(
    keyRefSchema,
    (r) => (r.license_key_id && r.key_name !== null ? { id: r.license_key_id, name: r.key_name } : null),
    (r) => r.key_name,
  ),
  profile: column(
    profileRefSchema,
    (r) => (r.profile_id !== null && r.profile_name !== null ? { id: r.profile_id, name: r.profile_name } : null),
    (r) => r.profile_name ?? DEFAULT_PROFILE_NAME,
  ),
  subscriptionId: column(nullableString, (r) => r.subscription_id, (r) => r.subscription_id),
  version: column(nullableString, (r) => r.app_version, (r) => r.app_version),
  hostOs: column(nullableString, (r) => r.host_os, (r) => r.host_os),
  userName: column(nullableString, (r) => r.user_name, (r) => r.user_name),
  activatedAt: column(z.string(), (r) => r.activated_at.toISOString(), (r) => r.activated_at.toISOString()),
  activatedBy: column(nullableString, (r) => r.activated_by, (r) => r.activated_by),
  lastContactAt: column(z.string(), (r) => r.last_seen_at.toISOString(), (r) => r.last_seen_at.toISOString()),
  licenseExpiresAt: column(nullableString, (r) => iso(r.license_expires_at), (r) => iso(r.license_expires_at)),
  usagePeak: column(z.number().nullable().describe('Farms and proxies: the peak of the latest usage report'), (r) => r.usage_peak, (r) => r.usage_peak),
  usageCurrent: column(z.number().nullable(), (r) => r.usage_current, (r) => r.usage_current),
  pendingAction: column(pendingSchema, (r) => r.pending_action, (r) => pendingActionLabel(r.pending_action)),
  notes: column(z.string(), (r) => r.notes, (r) => r.notes),
  serialNumber: column(nullableString, (r) => hardwareOf(r).serialNumber ?? null, (r) => hardwareOf(r).serialNumber ?? null),
  macAddresses: column(z.array(z.string()), (r) => hardwareOf(r).macAddresses ?? [], (r) => joined(hardwareOf(r).macAddresses)),
  ipAddresses: column(z.array(z.string()), (r) => hardwareOf(r).ipAddresses ?? [], (r) => joined(hardwareOf(r).ipAddresses)),
  siteCode: column(nullableString, (r) => siteOf(r).siteCode ?? null, (r) => siteOf(r).siteCode ?? null),
} as const satisfies Record<InstallationColumn, unknown>;

export type ListColumn = keyof typeof LIST_COLUMNS;
export const LIST_COLUMN_NAMES = Object.keys(LIST_COLUMNS) as [ListColumn, ...ListColumn[]];

export const installationRowSchema = z
  .object({
    id: z.string(),
    ...(Object.fromEntries(Object.entries(LIST_COLUMNS).map(([name, c]) => [name, c.schema.optional()])) as {
      [K in ListColumn]: z.ZodOptional<(typeof LIST_COLUMNS)[K]['schema']>;
    }),
  })
  .meta({ id: 'InstallationRow', description: 'The id and the chosen columns' });

export function presentInstallationRow(row: InstallationListRow, columns: readonly ListColumn[]): z.infer<typeof installationRowSchema> {
  return { id: row.id, ...Object.fromEntries(columns.map((c) => [c, LIST_COLUMNS[c].value(row)])) };
}

export function installationCsvColumns(columns: readonly ListColumn[]): CsvColumn<InstallationListRow>[] {
  return [{ header: INSTALLATION_ID_LABEL, value: (r) => r.id }, ...columns.map((c) => ({ header: INSTALLATION_COLUMN_LABELS[c], value: LIST_COLUMNS[c].cell }))];
}

export const installationDetailsSchema = z
  .object({
    id: z.string(),
    name: nullableString,
    alias: nullableString,
    notes: z.string(),
    general: z.object({
      state: stateSchema,
      blacklisted: z.boolean(),
      pendingAction: pendingSchema,
      pendingKeyId: nullableString,
      product: productRefSchema,
      licenseType: nullableString,
      key: keyRefSchema,
      profile: z
        .object({
          id: nullableString.describe('null: the built-in Default'),
          name: z.string(),
          version: z.number().int(),
          applied: z
            .enum(['current', 'earlier', 'not_reported'])
            .describe('what the installation reported at its last check-in: the current version, an earlier one (the current one arrives at its next check-in), or nothing yet'),
        })
        .describe("The key's configuration profile and whether the installation has applied it (with the policies over it, as applied says)"),
      group: z.object({ id: z.string(), name: z.string() }).nullable().describe("The user group whose sublicense the installation is on; null for none"),
      policies: z
        .array(z.object({ kind: z.enum(POLICY_KINDS), id: z.string(), name: z.string(), version: z.number().int() }))
        .describe("The policies over the profile that its check-ins deliver, in the order they apply: its user group's policy (kind group_policy), when it has one of the installation's product"),
      subscriptionId: nullableString,
      version: nullableString,
      hostOs: nullableString,
      userName: nullableString,
      activatedAt: z.string(),
      activatedBy: nullableString,
      lastContactAt: z.string(),
      deactivatedAt: nullableString,
      licenseExpiresAt: nullableString,
      usagePeak: z.number().nullable(),
      usageCurrent: z.number().nullable(),
      siteCode: nullableString,
      siteDescription: nullableString,
      serverId: nullableString,
    }),
    hardware: z.object({
      serialNumber: nullableString,
      model: nullableString,
      cpuArch: nullableString,
      macAddresses: z.array(z.string()),
      ipAddresses: z.array(z.string()),
    }),
    usage: z
      .array(z.object({ date: z.string(), peak: z.number(), current: z.number() }))
      .describe("Usage per report date (UTC), newest first: the highest peak of the date's reports and the current use of its latest"),
    usageLimits: z
      .object({
        quota: z.number().nullable().describe('The seats its key licenses; null once the key is gone'),
        overuse: z
          .object({ from: z.string(), until: nullableString, grace: z.boolean() })
          .nullable()
          .describe('Time over the limit: the overuse grace (grace true, kept once given), or where going over only warns the time since usage went over (until null while it still is)'),
        usageReportDays: z.number().nullable().describe('How often it reports its usage, in days'),
        lastUsageReportAt: nullableString.describe('When the server received its latest usage report'),
        nextUsageReportAt: nullableString.describe('When its next usage report is due; null when it is no longer active'),
      })
      .nullable()
      .describe('Farms and proxies: what their usage is read against; null for an installation with a seat of its own'),
  })
  .meta({ id: 'InstallationDetails' });

export function presentInstallationDetails({ installation: i, usage, usageLimits: limits, configuration }: InstallationDetails): z.infer<typeof installationDetailsSchema> {
  const hardware = hardwareOf(i);
  const site = siteOf(i);
  return {
    id: i.id,
    name: i.name,
    alias: i.alias,
    notes: i.notes,
    general: {
      state: i.state,
      blacklisted: i.blacklisted_at !== null,
      pendingAction: i.pending_action,
      pendingKeyId: i.pending_key_id,
      product: { code: i.product_code, name: i.product_name },
      licenseType: i.license_type,
      key: i.license_key_id && i.key_name !== null ? { id: i.license_key_id, name: i.key_name } : null,
      profile: { id: configuration.id, name: configuration.name, version: configuration.version, applied: appliedState(i.applied_profile_hash, configuration) },
      group: i.group_id !== null && i.group_name !== null ? { id: i.group_id, name: i.group_name } : null,
      policies: configuration.policies,
      subscriptionId: i.subscription_id,
      version: i.app_version,
      hostOs: i.host_os,
      userName: i.user_name,
      activatedAt: i.activated_at.toISOString(),
      activatedBy: i.activated_by,
      lastContactAt: i.last_seen_at.toISOString(),
      deactivatedAt: iso(i.deactivated_at),
      licenseExpiresAt: iso(i.license_expires_at),
      usagePeak: i.usage_peak,
      usageCurrent: i.usage_current,
      siteCode: site.siteCode ?? null,
      siteDescription: site.siteDescription ?? null,
      serverId: site.serverId ?? null,
    },
    hardware: {
      serialNumber: hardware.serialNumber ?? null,
      model: hardware.model ?? null,
      cpuArch: hardware.cpuArch ?? null,
      macAddresses: hardware.macAddresses ?? [],
      ipAddresses: hardware.ipAddresses ?? [],
    },
    usage,
    usageLimits: limits && {
      quota: limits.quota,
      overuse: limits.overuse && { from: limits.overuse.from.toISOString(), until: iso(limits.overuse.until), grace: limits.overuse.grace },
      usageReportDays: limits.usageReportDays,
      lastUsageReportAt: iso(limits.lastUsageReportAt),
      nextUsageReportAt: iso(limits.nextUsageReportAt),
    },
  };
}

export const actionResultSchema = z
  .union([
    z.object({ installationId: z.string(), ok: z.literal(true), state: stateSchema, blacklisted: z.boolean(), pendingAction: pendingSchema }),
    z.object({ installationId: z.string(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
  ])
  .meta({ id: 'InstallationActionResult' });

const dayPeak = z.object({ date: z.string(), peak: z.number() });
export const keyUsageSchema = z
  .object({
    keyId: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(dayPeak).describe("Per day (UTC), the sum of the key's installations' peaks that day"),
    installations: z.array(z.object({ installationId: z.string(), name: nullableString, alias: nullableString, days: z.array(dayPeak) })),
  })
  .meta({ id: 'KeyUsage' });

export const presentKeyUsage = (u: KeyUsage): z.infer<typeof keyUsageSchema> => ({ ...u, from: u.from.toISOString(), to: u.to.toISOString() });

const count = z.number().int().min(0);
export const installationSummarySchema = z
  .object({
    products: z.array(
      productRefSchema.extend({
        active: count.describe('computers, farms or proxy servers in use'),
        deactivated: count.describe('deactivated, not counting the blacklisted'),
        blacklisted: count,
      }),
    ),
  })
  .meta({ id: 'InstallationSummary', description: 'Each product the account has installations of, by name' });

export const presentInstallationSummary = (rows: InstallationCountsRow[]): z.infer<typeof installationSummarySchema> => ({
  products: rows.map((r) => ({ code: r.product_code, name: r.product_name, active: r.active, deactivated: r.deactivated, blacklisted: r.blacklisted })),
});
