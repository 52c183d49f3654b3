import { z } from 'zod';
import type { ProfileRecord } from '../data/repositories/configuration-profiles.js';
import type { PayloadSetRecord } from '../data/repositories/payload-sets.js';
import type { PolicyRecord } from '../data/repositories/policies.js';
import type { UserGroupRecord } from '../data/repositories/user-groups.js';
import type { Product } from '../domain/catalog.js';
import { payloadTypeSchema, type SettingValue } from '../domain/payloads.js';

// Configuration profiles (PRODUCT.md, capability 9), policies and user groups (capability 10) as the API shows them: camelCase, ISO timestamps.

const settingValueSchema: z.ZodType<SettingValue> = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const payloadSchema = z
  .object({
    type: z.string(),
    enabled: z.boolean().describe('a disabled payload keeps its settings and delivers nothing'),
    settings: z.record(z.string(), settingValueSchema),
  })
  .meta({ id: 'Payload' });

/** What a profile and a policy both are: a payload set of one product (payload-sets.ts). */
const payloadSetFields = (what: string) => ({
  id: z.string(),
  name: z.string(),
  product: z.string(),
  version: z.number().int().describe(`counts changes to what the ${what} delivers; a rename keeps it`),
  hash: z.string().describe(`the hash of what the ${what} delivers on its own`),
  payloads: z.array(payloadSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function presentPayloadSet(p: PayloadSetRecord) {
  return {
    id: p.id,
    name: p.name,
    product: p.product_code,
    version: p.version,
    hash: p.content_hash,
    payloads: p.payloads,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export const profileSchema = z
  .object({
    ...payloadSetFields('profile'),
    keys: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['primary', 'dynamic', 'reserved']), subscriptionId: z.string() })).describe('the license keys it is assigned to'),
  })
  .meta({
    id: 'ConfigurationProfile',
    description:
      'A named set of payloads of one product. A license key with no profile (profile null) uses the built-in Default, which has no payloads and is no row. Its hash is what installations without a group policy report back (profileHash).',
  });

export function presentProfile(p: ProfileRecord): z.infer<typeof profileSchema> {
  return { ...presentPayloadSet(p), keys: p.keys.map((k) => ({ id: k.id, name: k.name, kind: k.kind, subscriptionId: k.subscription_id })) };
}

export const policySchema = z
  .object({
    ...payloadSetFields('policy'),
    groups: z.array(z.object({ id: z.string(), name: z.string(), subscriptionId: z.string() })).describe('the user groups it is assigned to'),
  })
  .meta({
    id: 'Policy',
    description:
      "A named set of payloads of one Enterprise product, assigned to user groups: at a group's installations, each setting it sets overrides the one of the key's configuration profile; what it leaves unset comes from the profile.",
  });

export function presentPolicy(p: PolicyRecord): z.infer<typeof policySchema> {
  return { ...presentPayloadSet(p), groups: p.groups.map((g) => ({ id: g.id, name: g.name, subscriptionId: g.subscription_id })) };
}

export const userGroupSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('the name of its sublicense too: renaming one renames the other'),
    subscriptionId: z.string(),
    product: z.string().describe('the product of its sublicense'),
    directoryGroup: z.string().nullable().describe('the directory group (SSO/SCIM) whose users it takes; null for none'),
    sublicense: z
      .object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['dynamic', 'reserved']),
        key: z.string().describe('the license key to give the group’s users'),
        quota: z.number().int(),
        used: z.number().int().describe('seats its installations hold'),
      })
      .describe('the additional license key the group is bound to'),
    policy: z.object({ id: z.string(), name: z.string(), version: z.number().int() }).nullable().describe('null: its installations run with their key’s profile alone'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'UserGroup', description: 'A group of users with its own sublicense, and the policy its installations get over their configuration profile' });

export function presentUserGroup(g: UserGroupRecord): z.infer<typeof userGroupSchema> {
  // A group's key is always a sublicense, never the primary key (user-groups.ts binds no other).
  return {
    id: g.id,
    name: g.name,
    subscriptionId: g.subscription_id,
    product: g.product_code,
    directoryGroup: g.directory_group,
    sublicense: { id: g.key_id, name: g.key_name, kind: g.key_kind as 'dynamic' | 'reserved', key: g.key_text, quota: g.key_quota ?? 0, used: g.key_used },
    policy: g.policy_id !== null && g.policy_name !== null && g.policy_version !== null ? { id: g.policy_id, name: g.policy_name, version: g.policy_version } : null,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
  };
}

export const productPayloadTypesSchema = z
  .object({
    product: z.string(),
    productName: z.string(),
    features: z.array(z.string()).describe('what its license includes beyond profiles (policies, user_groups…): which of the management pages it takes'),
    types: z.array(payloadTypeSchema),
  })
  .meta({ id: 'ProductPayloadTypes', description: 'The payload types a product understands: each setting with its kind, label and limits, to draw a form from' });

export const presentPayloadTypes = (p: Product): z.infer<typeof productPayloadTypesSchema> => ({ product: p.code, productName: p.name, features: p.features, types: p.payloadTypes });
