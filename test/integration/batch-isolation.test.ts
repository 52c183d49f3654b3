import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCheckInWithUsage } from '../../src/data/repositories/installations.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activate, activationBody, asInstallation, registeredOrder } from '../support/installations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const POISON = 'poisoned-build';

/**
 * A database that refuses one row for what it holds: a trigger of this test's own database raises
 * for an app version the API accepts, as a constraint or a value the column cannot take would.
 */
async function poisonAppVersion() {
  await sql`CREATE FUNCTION refuse_poisoned_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'app version % refused', NEW.app_version USING ERRCODE = 'check_violation'; END $$`.execute(t.deps.db);
  await sql`CREATE TRIGGER refuse_poisoned_version BEFORE UPDATE ON installations
    FOR EACH ROW WHEN (NEW.app_version = ${sql.lit(POISON)}) EXECUTE FUNCTION refuse_poisoned_version()`.execute(t.deps.db);
}

const N = 450;
const poisoned = 223;
const installations: { id: string; token: string }[] = [];
beforeAll(async () => {
  const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: N }] });
  for (let from = 0; from < N; from += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, N - from) }, async () => {
        const res = await activate(t, activationBody(order.key));
        expect(res.status).toBe(201);
        return { id: res.body.installationId as string, token: res.body.installationToken as string };
      }),
    );
    installations.push(...batch);
  }
  await poisonAppVersion();
}, 120_000);

/** How many of the installations hold the version each was told to record, seen now; and the poisoned one's version. */
async function recorded(version: (n: number) => string) {
  const rows = await t.deps.db.selectFrom('installations').select(['id', 'app_version', 'last_seen_at']).where('id', 'in', installations.map((i) => i.id)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clean = installations.filter((inst, n) => {
    const row = byId.get(inst.id)!;
    return n !== poisoned && row.app_version === version(n) && row.last_seen_at.getTime() === t.clock.now().getTime();
  });
  return { clean: clean.length, poisoned: byId.get(installations[poisoned]!.id)!.app_version };
}

describe('check-ins sharing one batched statement', () => {
  it('records all 449 clean check-ins of 450 sent at once when the database refuses the one poisoned among them, which alone is refused', { timeout: 120_000 }, async () => {
    const version = (n: number) => (n === poisoned ? POISON : `api-${n}`);
    t.clock.advanceDays(1);
    const answers = await Promise.all(installations.map((inst, n) => asInstallation(t, inst.token).post('/licensing/v1/check-ins', { appVersion: version(n) })));
    const failed = answers.flatMap((a, n) => (a.status === 200 ? [] : [{ n, status: a.status, code: a.body.error?.code }]));
    expect(failed).toEqual([{ n: poisoned, status: 500, code: 'internal_error' }]);
    expect(await recorded(version)).toEqual({ clean: N - 1, poisoned: expect.not.stringMatching(POISON) });
  });

  // PGlite is one session, so requests reach the write one at a time and go alone; written at once, they share statements on both engines.
  it('writes 450 check-ins submitted in one tick in shared statements, and only the poisoned one fails, with its own error', async () => {
    const version = (n: number) => (n === poisoned ? POISON : `repo-${n}`);
    t.clock.advanceDays(1);
    const now = t.clock.now();
    const writes = await Promise.allSettled(
      installations.map((inst, n) => recordCheckInWithUsage(t.deps.relaxedDb, inst.id, null, { details: { app_version: version(n) }, usage: null, overLimitSince: null, now, nextCheckInAt: now })),
    );
    const refused = writes.flatMap((w, n) => (w.status === 'rejected' ? [{ n, message: (w.reason as Error).message }] : []));
    expect(refused).toEqual([{ n: poisoned, message: `app version ${POISON} refused` }]);
    expect(await recorded(version)).toEqual({ clean: N - 1, poisoned: expect.not.stringMatching(POISON) });
  });
});
