import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/data/executor.js';
import { testEngine } from '../support/database.js';
import { createTestApp, uniqueEmail, type TestApp } from '../support/harness.js';
import { activationBody, addSublicense, counters, machine, registeredOrder } from '../support/installations.js';
import { customerWithSubscription } from '../support/licensing.js';
import { overlappingInTurns } from '../support/members.js';
import { startServersOn, stopServers, type ServerProcess } from '../support/server-process.js';

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
  await stopServers(servers);
  await t.close();
});

async function startServers(): Promise<ServerProcess[]> {
  if (servers.length === 0) servers = await startServersOn(t.database.url!);
  return servers;
}

interface Answer {
  status: number;
  code: string | undefined;
  body: any;
}

/** Posts to the licensing API of a server process, as an installation (with its token) when given one. */
async function callOn(server: ServerProcess, path: string, body: Record<string, unknown>, token?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${server.url}/licensing/v1/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: json.error?.code, body: json };
}

const activateOn = (server: ServerProcess, body: Record<string, unknown>) => callOn(server, 'activations', body);

/** Fires every activation at once, alternating between the two processes. */
async function fire(keys: string[]): Promise<{ key: string; status: number; code: string | undefined }[]> {
  const [a, b] = await startServers();
  return Promise.all(keys.map(async (key, i) => ({ key, ...(await activateOn((i % 2 ? b : a)!, activationBody(key))) })));
}

/** A subscription item's seat counters, and the installations that really hold its seats now. */
async function pool(itemId: string) {
  const item = await t.deps.db.selectFrom('subscription_items').select(['main_used', 'reserved']).where('id', '=', itemId).executeTakeFirstOrThrow();
  const active = await t.deps.db
    .selectFrom('installations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('item_id', '=', itemId)
    .where('state', '=', 'active')
    .where('holds_seat', '=', true)
    .executeTakeFirstOrThrow();
  return { mainUsed: item.main_used, reserved: item.reserved, active: Number(active.n) };
}

const outcomes = (answers: { status: number; code: string | undefined }[]) => {
  const tally: Record<string, number> = {};
  for (const a of answers) tally[a.code ?? String(a.status)] = (tally[a.code ?? String(a.status)] ?? 0) + 1;
  return tally;
};

/**
 * A customer's ten seats with one in use on the primary key, and a dynamic key of four seats made
 * and deleted per round of a race, through the portal API.
 */
async function poolWithRounds() {
  const c = await customerWithSubscription(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: 10 }] });
  const item = c.items[0]!;
  const keys = `/api/v1/accounts/${c.accountId}/subscriptions/${c.subscription.id}/keys`;
  const [a] = await startServers();
  expect((await activateOn(a!, activationBody(c.key))).status).toBe(201);
  const newKey = async (name: string) => {
    const created = await c.client.post(keys, { itemId: item.id, name, kind: 'dynamic', quota: 4, expiresAt: null });
    return created.body.key as { id: string; key: string };
  };
  /**
   * Deletes the key while `requests` run, started in the turn given: the test holds the item's
   * counters until every request waits on a lock, so they all meet inside their transactions, and
   * in the first turn a deletion holds the key before the others come, in the second one of them does.
   */
  const raceDeletion = async (keyId: string, requests: () => Promise<Answer>[], deletionFirst: boolean) => {
    const deletion = () => [c.client.delete(`${keys}/${keyId}`).then((r): Answer => ({ status: r.status, code: r.body.error?.code, body: r.body }))];
    const holdCounters = (trx: Executor) => trx.selectFrom('subscription_items').select('id').where('id', '=', item.id).forUpdate().execute();
    const answers = await overlappingInTurns(t, holdCounters, deletionFirst ? [deletion, requests] : [requests, deletion]);
    return deletionFirst ? { removed: answers[0]!, others: answers.slice(1) } : { removed: answers.at(-1)!, others: answers.slice(0, -1) };
  };
  /** The pool holds exactly the seat of the primary key's installation again. */
  const expectOneSeatInUse = async (seen: string) => expect(await pool(item.id), seen).toEqual({ mainUsed: 1, reserved: 0, active: 1 });
  return { ...c, item, newKey, raceDeletion, expectOneSeatInUse };
}

const described = (round: number, answers: Answer[]) => `round ${round}: ${JSON.stringify(answers.map((x) => x.code ?? x.status))}`;

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

  it('races deleting a key against activations with its codes: each gets a clean answer, and no seat is lost or counted twice', { timeout: 300_000 }, async () => {
    const [a, b] = await startServers();
    const c = await poolWithRounds();
    for (let round = 0; round < 20; round++) {
      const key = await c.newKey(`Round ${round}`);
      const sent = await c.client.post(`/api/v1/accounts/${c.accountId}/install-invitations`, { keyId: key.id, emails: [1, 2, 3, 4].map((i) => uniqueEmail(`round${round}-${i}`)) });
      const codes = (sent.body.invited as { code: string }[]).map((i) => i.code);
      const activations = () => codes.map((code, i) => activateOn((i % 2 ? b : a)!, { product: 'desktop-business', activationCode: code, ...machine() }));
      const deletionFirst = round % 2 === 0;
      const { removed, others } = await c.raceDeletion(key.id, activations, deletionFirst);
      const seen = described(round, [removed, ...others]);

      expect(others.every((x) => x.status === 201 || (x.status === 404 && x.code === 'code_not_found')), seen).toBe(true);
      const won = others.filter((x) => x.status === 201).map((x) => x.body.installationId as string);
      if (deletionFirst) expect(won, seen).toEqual([]);
      else expect(won.length, seen).toBeGreaterThan(0);
      // An activation that came first is deactivated by the deletion like any other installation.
      expect([removed.status, removed.body.deactivatedInstallations], seen).toEqual([200, won.length]);
      if (won.length > 0) {
        const states = await t.deps.db.selectFrom('installations').select(['state', 'deactivation_reason']).where('id', 'in', won).execute();
        expect(states, seen).toEqual(won.map(() => ({ state: 'deactivated', deactivation_reason: 'key_deleted' })));
      }
      await c.expectOneSeatInUse(seen);
    }
    expect(await counters(t.deps.db, c.primaryKey.id, c.item.id)).toEqual({ used: 1, mainUsed: 1, reserved: 0, active: 1 });
  });

  it('races deleting a key against invitations to install with it: each is made before the deletion and goes with it, or refused as not found', { timeout: 300_000 }, async () => {
    const c = await poolWithRounds();
    for (let round = 0; round < 6; round++) {
      const key = await c.newKey(`Round ${round}`);
      const invitations = () =>
        [1, 2].map((i) =>
          c.client
            .post(`/api/v1/accounts/${c.accountId}/install-invitations`, { keyId: key.id, emails: [uniqueEmail(`invite-round${round}-${i}`)] })
            .then((r): Answer => ({ status: r.status, code: r.body.error?.code, body: r.body })),
        );
      const deletionFirst = round % 2 === 0;
      const { removed, others } = await c.raceDeletion(key.id, invitations, deletionFirst);
      const seen = described(round, [removed, ...others]);

      expect(removed.status, seen).toBe(200);
      if (deletionFirst) expect(others.every((x) => x.status === 404 && x.code === 'not_found'), seen).toBe(true);
      else expect(others.every((x) => x.status === 201), seen).toBe(true);
      const left = await t.deps.db.selectFrom('install_invitations').select('id').where('license_key_id', '=', key.id).execute();
      expect(left, seen).toEqual([]);
    }
  });

  it('races deleting a key against its installations deactivating themselves: each gets a clean answer, and every seat comes back once', { timeout: 300_000 }, async () => {
    const [a, b] = await startServers();
    const c = await poolWithRounds();
    for (let round = 0; round < 10; round++) {
      const key = await c.newKey(`Round ${round}`);
      const activated: { installationId: string; installationToken: string }[] = [];
      for (let i = 0; i < 4; i++) activated.push((await activateOn(a!, activationBody(key.key))).body);
      const deactivations = () => activated.map((x, i) => callOn((i % 2 ? b : a)!, 'deactivations', {}, x.installationToken));
      const deletionFirst = round % 2 === 0;
      const { removed, others } = await c.raceDeletion(key.id, deactivations, deletionFirst);
      const seen = described(round, [removed, ...others]);

      // A deactivation that finds its installation deactivated with the key says it is deactivated, as to any repeat.
      expect(others.every((x) => x.status === 200 || (x.status === 403 && x.code === 'installation_deactivated')), seen).toBe(true);
      const ids = activated.map((x) => x.installationId);
      const rows = await t.deps.db.selectFrom('installations').select(['state', 'deactivation_reason']).where('id', 'in', ids).execute();
      expect(rows.every((r) => r.state === 'deactivated'), seen).toBe(true);
      const byDeletion = rows.filter((r) => r.deactivation_reason === 'key_deleted').length;
      if (deletionFirst) expect(byDeletion, seen).toBe(ids.length);
      else expect(byDeletion, seen).toBeLessThan(ids.length);
      expect([removed.status, removed.body.deactivatedInstallations], seen).toEqual([200, byDeletion]);
      await c.expectOneSeatInUse(seen);
    }
  });
});
