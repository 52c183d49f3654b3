import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/database.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activationBody, addSublicense, counters, registeredOrder } from '../support/installations.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * Seat accounting under real concurrency: two `keyline serve` processes on one PostgreSQL
 * database, many activations at once. PGlite is a single in-process session that a second process
 * cannot open, so this file runs on the postgres project only.
 */
const onPostgres = testEngine() === 'postgres';

let t: TestApp;
let servers: ServerProcess[] = [];
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  killServerProcesses();
  await t.close();
});

async function startServers(): Promise<ServerProcess[]> {
  if (servers.length === 0) servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: t.database.url! })));
  return servers;
}

/** Fires every activation at once, alternating between the two processes. */
async function fire(keys: string[]): Promise<{ key: string; status: number; code: string | undefined }[]> {
  const [a, b] = await startServers();
  return Promise.all(
    keys.map(async (key, i) => {
      const res = await fetch(`${(i % 2 ? b : a)!.url}/licensing/v1/activations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activationBody(key)),
      });
      const body = (await res.json()) as { error?: { code: string } };
      return { key, status: res.status, code: body.error?.code };
    }),
  );
}

const outcomes = (answers: { status: number; code: string | undefined }[]) => {
  const tally: Record<string, number> = {};
  for (const a of answers) tally[a.code ?? String(a.status)] = (tally[a.code ?? String(a.status)] ?? 0) + 1;
  return tally;
};

describe.skipIf(!onPostgres)('seat accounting across two server processes (PostgreSQL only: PGlite cannot be shared between processes)', () => {
  it('lets exactly `quota` of 200 machines activate one key, and every counter equals the active installations', { timeout: 120_000 }, async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 25 }] });
    const answers = await fire(Array(200).fill(order.key));
    expect(outcomes(answers)).toEqual({ '201': 25, quota_exhausted: 175 });
    expect(await counters(t.deps.db, order.primaryKey.id, order.items[0]!.id)).toEqual({ used: 25, mainUsed: 25, reserved: 0, active: 25 });
    // Both processes made their first certificate at once, and agreed on one signing key.
    expect(await t.deps.db.selectFrom('signing_keys').select('kid').execute()).toHaveLength(1);
  });

  it('races a reserved, a dynamic and the primary key: reserved seats stay reserved and the main pool is shared exactly', { timeout: 120_000 }, async () => {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 20 }] });
    const item = order.items[0]!;
    const reserved = await addSublicense(t.deps.db, order, item.id, 'reserved', 5);
    const dynamic = await addSublicense(t.deps.db, order, item.id, 'dynamic', 8);
    const keys = Array.from({ length: 60 }, () => [order.key, dynamic.key, reserved.key]).flat();
    const answers = await fire(keys);
    const won = (key: string) => answers.filter((a) => a.key === key && a.status === 201).length;
    expect(answers.every((a) => a.status === 201 || a.code === 'quota_exhausted')).toBe(true);

    expect(won(reserved.key)).toBe(5);
    expect(won(dynamic.key)).toBeLessThanOrEqual(8);
    expect(won(order.key) + won(dynamic.key)).toBe(15);
    const primaryRow = await counters(t.deps.db, order.primaryKey.id, item.id);
    const dynamicRow = await counters(t.deps.db, dynamic.id, item.id);
    const reservedRow = await counters(t.deps.db, reserved.id, item.id);
    expect(primaryRow).toEqual({ used: won(order.key), active: won(order.key), mainUsed: 15, reserved: 5 });
    expect([dynamicRow.used, dynamicRow.active]).toEqual([won(dynamic.key), won(dynamic.key)]);
    expect([reservedRow.used, reservedRow.active]).toEqual([5, 5]);
  });
});
