import { z } from 'zod';
import { DURATIONS } from '../../domain/subscription.js';
import { encodeCursor, uuid } from './common.js';

// What the vendor back office's routes (routes/vendor-*.ts) share: their route config and tag,
// and the inputs and pages several of them take.

// Every vendor route is for operators only: the auth hook refuses anyone else with 403
// operator_only before the input is read, and each use case checks again.
export const config = { operator: true };
export const tags = ['vendor'];

export const idParams = z.strictObject({ id: uuid });
export const duration = z.enum(DURATIONS).describe('1m (online only), 1y, 2y or 3y');
export const licenseType = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .nullable()
  .optional()
  .transform((t) => t ?? null)
  .describe('Required for products sold by license type (device-management: desktop or mobile)');
const orderLine = z.strictObject({
  productCode: z.string().trim().min(1).max(50),
  licenseType,
  quantity: z.number().int().min(1).max(1_000_000),
});
export const orderLines = z.array(orderLine).min(1).max(20);
export const search = z.string().trim().min(1).max(200);
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const cursorOf = (next: unknown) => (next === null ? null : encodeCursor(next));
