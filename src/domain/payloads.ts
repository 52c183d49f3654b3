import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Configuration payloads as data (capability 9). A product's catalog entry lists the payload
 * types its installations understand; each type names its settings and their kinds, and the
 * schema that checks a payload's settings is built from that list. A vendor adds a type to a
 * product by editing the product, with no code change, and the portal draws a type's form from
 * the same list.
 */

const codeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and underscores, starting with a letter');
const labelSchema = z.string().min(1).max(200);

const settingBase = { key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'a camelCase name'), label: labelSchema, required: z.boolean().default(false) };

export const settingDefinitionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...settingBase, kind: z.literal('text'), maxLength: z.number().int().min(1).max(2000).default(200) }),
  z.strictObject({ ...settingBase, kind: z.literal('url') }),
  z.strictObject({ ...settingBase, kind: z.literal('sha256') }),
  z.strictObject({ ...settingBase, kind: z.literal('boolean') }),
  z.strictObject({ ...settingBase, kind: z.literal('integer'), min: z.number().int().default(0), max: z.number().int().default(1_000_000) }),
  z.strictObject({
    ...settingBase,
    kind: z.literal('choice'),
    options: z.array(z.strictObject({ value: codeSchema, label: labelSchema })).min(2).max(50),
  }),
  z.strictObject({ ...settingBase, kind: z.literal('list'), maxItems: z.number().int().min(1).max(500).default(50), itemMaxLength: z.number().int().min(1).max(500).default(100) }),
]);

export type SettingDefinition = z.output<typeof settingDefinitionSchema>;

export const payloadTypeSchema = z
  .strictObject({
    type: codeSchema,
    name: labelSchema,
    description: z.string().max(2000).default(''),
    settings: z.array(settingDefinitionSchema).min(1).max(40),
  })
  .refine((t) => new Set(t.settings.map((s) => s.key)).size === t.settings.length, { message: 'setting keys must differ', path: ['settings'] });

export type PayloadType = z.output<typeof payloadTypeSchema>;

export const payloadTypesSchema = z
  .array(payloadTypeSchema)
  .max(50)
  .refine((types) => new Set(types.map((t) => t.type)).size === types.length, { message: 'payload types must differ' });

export type SettingValue = string | number | boolean | string[];
export type Settings = Record<string, SettingValue>;

/** A payload as a profile or policy stores it: disabled keeps its settings but delivers nothing. */
export interface Payload {
  type: string;
  enabled: boolean;
  settings: Settings;
}

function valueSchema(s: SettingDefinition): z.ZodType<SettingValue> {
  switch (s.kind) {
    case 'text':
      return z.string().trim().min(1).max(s.maxLength);
    case 'url':
      return z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).max(2000);
    case 'sha256':
      return z
        .string()
        .trim()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be a SHA-256 checksum: 64 hexadecimal digits')
        .transform((v) => v.toLowerCase());
    case 'boolean':
      return z.boolean();
    case 'integer':
      return z.number().int().min(s.min).max(s.max);
    case 'choice':
      return z.enum(s.options.map((o) => o.value) as [string, ...string[]]);
    case 'list':
      return z.array(z.string().trim().min(1).max(s.itemMaxLength)).max(s.maxItems);
  }
}

/**
 * The schema of one type's settings. A required setting may be missing while its payload is
 * disabled, so a half-filled payload can be kept switched off; it must be there to enable it.
 */
export function settingsSchemaOf(type: PayloadType, enabled: boolean): z.ZodType<Settings> {
  const shape = Object.fromEntries(type.settings.map((s) => [s.key, s.required && enabled ? valueSchema(s) : valueSchema(s).optional()]));
  return z.strictObject(shape) as unknown as z.ZodType<Settings>;
}

/** The payload types of the demo desktop products, from the Business and Enterprise guides. */
export const desktopPayloadTypes: PayloadType[] = payloadTypesSchema.parse([
  {
    type: 'vm_image',
    name: 'Provision a corporate VM image',
    description: 'Offers a virtual machine image that users can download and install from the product.',
    settings: [
      { key: 'imageName', label: 'Image name', kind: 'text', required: true },
      { key: 'downloadUrl', label: 'Download URL', kind: 'url', required: true },
      { key: 'checksum', label: 'SHA-256 checksum', kind: 'sha256', required: true },
      {
        key: 'architecture',
        label: 'Target architecture',
        kind: 'choice',
        required: true,
        options: [
          { value: 'intel', label: 'Intel' },
          { value: 'apple_silicon', label: 'Apple Silicon' },
        ],
      },
    ],
  },
  {
    type: 'major_upgrades',
    name: 'Allow major version upgrades',
    description: 'Lets installations upgrade to a new major version that the license covers.',
    settings: [{ key: 'allowed', label: 'Allow upgrading to a new major version', kind: 'boolean', required: true }],
  },
  {
    type: 'updates',
    name: 'Updates',
    description: 'Where installations look for updates, and which branch they follow.',
    settings: [
      { key: 'serverUrl', label: 'Update server URL', kind: 'url' },
      {
        key: 'branch',
        label: 'Update branch',
        kind: 'choice',
        options: [
          { value: 'stable', label: 'Stable' },
          { value: 'early_access', label: 'Early access' },
          { value: 'beta', label: 'Beta' },
        ],
      },
    ],
  },
  {
    type: 'restrictions',
    name: 'Restrict user actions',
    description: 'Actions that ask for an administrator password on the computer.',
    settings: [
      { key: 'createVm', label: 'Create a virtual machine', kind: 'boolean' },
      { key: 'addExistingVm', label: 'Add an existing virtual machine', kind: 'boolean' },
      { key: 'removeVm', label: 'Remove a virtual machine', kind: 'boolean' },
      { key: 'cloneVm', label: 'Clone a virtual machine', kind: 'boolean' },
      { key: 'changeVmConfiguration', label: 'Change a virtual machine’s configuration', kind: 'boolean' },
      { key: 'changeVmState', label: 'Start, stop or suspend a virtual machine', kind: 'boolean' },
      { key: 'manageSnapshots', label: 'Manage snapshots', kind: 'boolean' },
      { key: 'exitFullScreen', label: 'Exit full screen', kind: 'boolean' },
      { key: 'changePreferences', label: 'Change preferences', kind: 'boolean' },
    ],
  },
  {
    type: 'usb_devices',
    name: 'USB device policy',
    description: 'Which USB devices virtual machines may connect to.',
    settings: [
      {
        key: 'policy',
        label: 'USB devices',
        kind: 'choice',
        required: true,
        options: [
          { value: 'allow_all', label: 'Allow all' },
          { value: 'allow_listed', label: 'Allow only the listed devices' },
          { value: 'block_all', label: 'Block all' },
        ],
      },
      { key: 'allowedDevices', label: 'Allowed devices (vendor:product id, e.g. 05ac:12a8)', kind: 'list' },
    ],
  },
]);

/** One payload of a profile or policy checked against its product's types; the problem in words, or the payload as kept. */
export function checkPayload(types: readonly PayloadType[], payload: { type: string; enabled: boolean; settings: unknown }): { ok: true; payload: Payload } | { ok: false; path: (string | number)[]; message: string } {
  const type = types.find((t) => t.type === payload.type);
  if (!type) return { ok: false, path: ['type'], message: `is not a payload type of this product (${types.map((t) => t.type).join(', ') || 'it has none'})` };
  const parsed = settingsSchemaOf(type, payload.enabled).safeParse(payload.settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, path: ['settings', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message };
  }
  return { ok: true, payload: { type: type.type, enabled: payload.enabled, settings: parsed.data } };
}

/** The configuration an installation runs with: enabled payloads only, one per type, in type order. */
export type EffectiveConfiguration = { type: string; settings: Settings }[];

/**
 * The precedence rule of configuration (capability 10): an installation's configuration is its
 * key's profile, overridden by the policies laid over it (today the policy of the user group its
 * key belongs to), each policy over the ones before it.
 *
 * - Only enabled payloads count; a disabled payload, anywhere, is as if it were absent (so a
 *   disabled payload in a policy never removes what comes before it).
 * - A type enabled in only one of them is taken whole from it.
 * - A type enabled in several takes the profile's settings (or the first policy's that has it)
 *   with each setting a later policy sets replaced by that policy's value ("set" means present; a
 *   boolean false or an empty list is a value and overrides).
 */
export function effectiveConfiguration(profile: readonly Payload[], policies: readonly (readonly Payload[])[]): EffectiveConfiguration {
  const merged = new Map<string, Settings>();
  for (const layer of [profile, ...policies]) {
    for (const p of layer) if (p.enabled) merged.set(p.type, { ...merged.get(p.type), ...p.settings });
  }
  return [...merged.keys()].sort().map((type) => ({ type, settings: merged.get(type)! }));
}

/** JSON with object keys sorted at every level, so equal content always hashes alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What tells an installation whether the configuration it has applied is the current one. */
export function configurationHash(configuration: EffectiveConfiguration): string {
  return createHash('sha256').update(canonicalJson(configuration)).digest('base64url');
}
