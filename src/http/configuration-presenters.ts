import { z } from 'zod';
import type { ProfileRecord } from '../data/repositories/configuration-profiles.js';
import type { Product } from '../domain/catalog.js';
import { payloadTypeSchema, type SettingValue } from '../domain/payloads.js';

// Configuration profiles (PRODUCT.md, capability 9) as the API shows them: camelCase, ISO timestamps.

const settingValueSchema: z.ZodType<SettingValue> = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const payloadSchema = z
  .object({
    type: z.string(),
    enabled: z.boolean().describe('a disabled payload keeps its settings and delivers nothing'),
    settings: z.record(z.string(), settingValueSchema),
  })
  .meta({ id: 'Payload' });

export const profileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    product: z.string(),
    version: z.number().int().describe('counts changes to what the profile delivers; a rename keeps it'),
    hash: z.string().describe('the hash of what the profile delivers, as installations report it back (profileHash)'),
    payloads: z.array(payloadSchema),
    keys: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['primary', 'dynamic', 'reserved']), subscriptionId: z.string() })).describe('the license keys it is assigned to'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'ConfigurationProfile',
    description: 'A named set of payloads of one product. A license key with no profile (profile null) uses the built-in Default, which has no payloads and is no row.',
  });

export function presentProfile(p: ProfileRecord): z.infer<typeof profileSchema> {
  return {
    id: p.id,
    name: p.name,
    product: p.product_code,
    version: p.version,
    hash: p.content_hash,
    payloads: p.payloads,
    keys: p.keys.map((k) => ({ id: k.id, name: k.name, kind: k.kind, subscriptionId: k.subscription_id })),
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export const productPayloadTypesSchema = z
  .object({ product: z.string(), productName: z.string(), types: z.array(payloadTypeSchema) })
  .meta({ id: 'ProductPayloadTypes', description: 'The payload types a product understands: each setting with its kind, label and limits, to draw a form from' });

export const presentPayloadTypes = (p: Product): z.infer<typeof productPayloadTypesSchema> => ({ product: p.code, productName: p.name, types: p.payloadTypes });
