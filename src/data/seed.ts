import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * The demo vendor catalog: the five products of the guides, each naming its licensing model and
 * that model's parameters. A sixth product is one more row, no code.
 */
export const demoCatalog = [
  {
    code: 'desktop-business',
    name: 'Desktop Virtualization, Business Edition',
    model: 'per_device',
    license_types: [],
    params: { checkInMaxDays: 7, checkInJitter: true, expiryGraceDays: 0, overuseGraceDays: 0, maxMoves: null, overQuota: 'block', usageReportDays: null },
  },
  {
    code: 'desktop-enterprise',
    name: 'Desktop Virtualization, Enterprise Edition',
    model: 'per_device_or_user',
    license_types: [],
    params: { checkInMaxDays: 7, checkInJitter: true, expiryGraceDays: 0, overuseGraceDays: 0, maxMoves: null, overQuota: 'block', usageReportDays: null },
  },
  {
    code: 'ras',
    name: 'Remote Application Server',
    model: 'concurrent_users',
    license_types: [],
    params: { checkInMaxDays: 1, checkInJitter: false, validationMinutes: 20, expiryGraceDays: 30, overuseGraceDays: 7, maxMoves: 3, overQuota: 'grace_then_block', usageReportDays: null },
  },
  {
    code: 'mac-sccm',
    name: 'Mac Management for Configuration Manager',
    model: 'per_managed_device',
    license_types: [],
    params: { checkInMaxDays: 1, checkInJitter: false, expiryGraceDays: 0, overuseGraceDays: 0, maxMoves: null, overQuota: 'warn', usageReportDays: 7 },
  },
  {
    code: 'device-management',
    name: 'Device Management',
    model: 'per_managed_device',
    license_types: ['desktop', 'mobile'],
    params: { checkInMaxDays: 1, checkInJitter: false, expiryGraceDays: 0, overuseGraceDays: 0, maxMoves: null, overQuota: 'warn', usageReportDays: 7 },
  },
] as const;

/** Inserts the demo catalog where it is missing; running it again changes nothing. */
export async function seedCatalog(db: Kysely<DB>): Promise<number> {
  const inserted = await db
    .insertInto('products')
    .values(
      demoCatalog.map((p) => ({
        code: p.code,
        name: p.name,
        model: p.model,
        license_types: JSON.stringify(p.license_types),
        params: JSON.stringify(p.params),
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute();
  return inserted.length;
}
