import { z } from 'zod';
import { checkCountryAndState } from '../../domain/address.js';
import { PHONE_PATTERN } from '../../domain/phone.js';

// Bodies are strict objects: an unknown field is an error, not something silently dropped.
export const email = z.email({ error: 'must be an email address' }).max(254).transform((e) => e.trim());
export const password = z.string().min(8, 'must be at least 8 characters').max(200);
export const personName = z.string().trim().min(1, 'is required').max(100);
export const uuid = z.uuid({ error: 'must be a UUID' });
export const isoDate = z.iso.datetime();

export const accountIdParams = z.strictObject({ accountId: uuid });
export const subscriptionParams = accountIdParams.extend({ subscriptionId: uuid });
export const keyParams = subscriptionParams.extend({ keyId: uuid });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

export const companyFields = {
  name: z.string().trim().min(1, 'is required').max(200),
  street: z.string().trim().min(1, 'is required').max(200),
  city: z.string().trim().min(1, 'is required').max(100),
  country: z.string().trim().toUpperCase().length(2, 'must be an ISO 3166-1 alpha-2 code'),
  state: z.string().trim().max(10).nullable().optional(),
  zip: z.string().trim().min(1, 'is required').max(20),
  phone: z
    .string()
    .trim()
    .regex(PHONE_PATTERN, 'must be a phone number'),
};

/** A company address as a business account takes it: the state is checked against the country. */
export const companySchema = z
  .strictObject(companyFields)
  .transform((c, ctx) => {
    const checked = checkCountryAndState(c.country, c.state);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', path: [checked.problem.field], message: checked.problem.message });
      return z.NEVER;
    }
    return { ...c, state: checked.state };
  })
  .meta({ id: 'CompanyDetails' });

export const okSchema = z.object({ ok: z.literal(true) });

/** What an emailed link that proves an address answers: that address, so the sign-in page can fill it in. */
export const provenEmailSchema = okSchema.extend({ email: z.string() }).meta({ id: 'ProvenEmail' });

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

/** Which edition to try beside a subscription whose products upgrade to several; the only one by default. */
export const editionChoice = z.strictObject({ product: z.string().trim().min(1).max(50).optional().describe('The edition to try (a product code); needed only when there are several') });
