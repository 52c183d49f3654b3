import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/data/database.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { createTestApp, type TestApp } from '../support/harness.js';
import { activationBody, counters, registeredOrder } from '../support/installations.js';
import { startScratchPostgres, type ScratchPostgres } from '../support/scratch-postgres.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * Real faults under real load: two `keyline serve` processes on a PostgreSQL server of this
 * suite's own, taking activations and check-ins while the database restarts (fast, then
 * immediate: a crash) and while one process is killed and started again. Every answer must be a
 * success, a documented refusal or 503 database_unavailable; afterwards every process answers,
 * every acknowledged activation is there, and every seat counter equals its active installations.
 */

interface Key {
  text: string;
  id: string;
  itemId: string;
  quota: number;
}

interface Server {
  process: ServerProcess;
  /** False from the moment the test kills it: its cut requests are expected. */
  up: boolean;
}

const WORKERS = 12;
/** Bounds each phase's load whatever the speed of the machine. */
const MAX_REQUESTS_PER_PHASE = 6000;
const REQUEST_TIMEOUT_MS = 20_000;
const READY_WITHIN_MS = 30_000;

let scratch: ScratchPostgres;
let t: TestApp;
let dataDir: string;
const keys: Key[] = [];
let servers: Server[] = [];
/** Installation tokens of machines activated before the load, that only check in. */
const checkInTokens: string[] = [];
interface Acknowledged {
  installationId: string;
  keyId: string;
  /** The request that made it, for the same machine to activate again. */
  body: Record<string, unknown>;
}
/** Every activation a server acknowledged (201 or 200), by installation id. */
const acknowledged = new Map<string, Acknowledged>();
/** The acknowledged machines that may activate again: not the ones checking in, whose tokens that would replace. */
const activatedAgain: Acknowledged[] = [];
const totals = { sent: 0, byStatus: {} as Record<string, number>, serverErrors: 0 };

// One of the two runs the background jobs (outbox, periodic), so they live through the faults too.
const serverEnv = (jobs: boolean) => ({
  DATABASE_URL: scratch.url,
  KEYLINE_DATA_DIR: dataDir,
  KEYLINE_JOBS: jobs ? 'on' : 'off',
  KEYLINE_ACTIVATIONS_PER_KEY: '0',
});

beforeAll(async () => {
  scratch = await startScratchPostgres();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-faults-'));
  const database = await openDatabase({ url: scratch.url });
  await migrateToLatest(database.db);
  t = await createTestApp({}, { ...database, url: scratch.url });
  // A small key that fills up under the load, so quota is tested through the faults, and two that do not.
  for (const quota of [10, 1000, 1000]) {
    const order = await registeredOrder(t, { items: [{ productCode: 'desktop-business', licenseType: null, quantity: quota }] });
    keys.push({ text: order.key, id: order.primaryKey.id, itemId: order.items[0]!.id, quota });
  }
  servers = (await Promise.all([true, false].map((jobs) => startServerProcess(serverEnv(jobs))))).map((process) => ({ process, up: true }));
  for (let i = 0; i < 8; i++) {
    const body = activationBody(keys[1]!.text);
    const res = await post(servers[0]!, 'activations', body);
    const answer = (await res.json()) as { installationId: string; installationToken: string };
    expect(res.status).toBe(201);
    acknowledged.set(answer.installationId, { installationId: answer.installationId, keyId: keys[1]!.id, body });
    checkInTokens.push(answer.installationToken);
  }
}, 180_000);

afterAll(async () => {
  killServerProcesses();
  await t?.close();
  await scratch?.remove();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

function post(server: Server, call: string, body: Record<string, unknown>, token?: string) {
  return fetch(`${server.process.url}/licensing/v1/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

interface Tally {
  sent: number;
  byStatus: Record<string, number>;
  failures: string[];
}

/** Workers that activate new machines, activate known ones again and check in, on the servers that are up, until stopped. */
function startLoad() {
  const tally: Tally = { sent: 0, byStatus: {}, failures: [] };
  let stopping = false;
  const count = (label: string) => (tally.byStatus[label] = (tally.byStatus[label] ?? 0) + 1);
  const fail = (message: string) => {
    if (tally.failures.length < 20) tally.failures.push(message);
  };
  let turn = 0;

  async function once() {
    const up = servers.filter((s) => s.up);
    const server = up[turn++ % up.length]!;
    const dice = Math.random();
    const what = dice < 0.3 ? 'check-in' : dice < 0.5 && activatedAgain.length ? 'activation again' : 'activation';
    const key = pick(keys);
    const again = what === 'activation again' ? pick(activatedAgain) : undefined;
    const body = again ? again.body : activationBody(key.text);
    tally.sent++;
    let res: Response;
    try {
      res = what === 'check-in' ? await post(server, 'check-ins', {}, pick(checkInTokens)) : await post(server, 'activations', body);
    } catch (err) {
      // A request cut by the test's own kill is expected; from a server that is up, it is a dropped connection.
      if (!server.up) return void count('cut by the kill');
      return void (count('no answer'), fail(`${what}: no answer from a server that is up (${String((err as Error).cause ?? err)})`));
    }
    const answer = (await res.json().catch(() => ({}))) as { installationId?: string; error?: { code: string } };
    const code = answer.error?.code;
    count(code ? `${res.status} ${code}` : String(res.status));
    if (res.status === 503 && code === 'database_unavailable') {
      if (!res.headers.get('retry-after')) fail(`${what}: 503 without Retry-After`);
      await sleep(50);
      return;
    }
    if (what === 'check-in') {
      if (res.status !== 200) fail(`check-in: ${res.status} ${code}`);
      return;
    }
    if (res.status === 409 && code === 'quota_exhausted' && !again) return;
    if (again && res.status === 200) {
      if (answer.installationId !== again.installationId) fail(`activation again: installation ${answer.installationId} instead of ${again.installationId}`);
      return;
    }
    // 200 for a new machine: a retry after a lost connection found what the first run had committed.
    if (!again && (res.status === 201 || res.status === 200)) {
      const made = { installationId: answer.installationId!, keyId: key.id, body };
      acknowledged.set(made.installationId, made);
      activatedAgain.push(made);
      return;
    }
    fail(`${what}: ${res.status} ${code ?? ''}`);
  }

  const workers = Array.from({ length: WORKERS }, async () => {
    while (!stopping && tally.sent < MAX_REQUESTS_PER_PHASE) await once();
  });
  return {
    async stop(): Promise<Tally> {
      stopping = true;
      await Promise.all(workers);
      totals.sent += tally.sent;
      for (const [status, n] of Object.entries(tally.byStatus)) totals.byStatus[status] = (totals.byStatus[status] ?? 0) + n;
      totals.serverErrors += Object.entries(tally.byStatus)
        .filter(([status]) => status.startsWith('5') && status !== '503 database_unavailable')
        .reduce((sum, [, n]) => sum + n, 0);
      return tally;
    },
  };
}

/** Seconds until every server that is up answers /readyz with 200, failing past READY_WITHIN_MS. */
async function secondsUntilReady(): Promise<number> {
  const start = performance.now();
  for (const server of servers.filter((s) => s.up)) {
    for (;;) {
      const status = await fetch(`${server.process.url}/readyz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (server.process.child.exitCode !== null) throw new Error(`a server exited with ${server.process.child.exitCode}:\n${server.process.output()}`);
      if (performance.now() - start > READY_WITHIN_MS) throw new Error(`a server still answers /readyz ${status}`);
      await sleep(100);
    }
  }
  return (performance.now() - start) / 1000;
}

async function expectInvariants(phase: string) {
  const ids = [...acknowledged.keys()];
  const rows = await t.deps.db.selectFrom('installations').select(['id', 'state']).where('id', 'in', ids).execute();
  const active = new Set(rows.filter((r) => r.state === 'active').map((r) => r.id));
  expect(ids.filter((id) => !active.has(id)), `${phase}: acknowledged activations missing or inactive`).toEqual([]);
  for (const key of keys) {
    const c = await counters(t.deps.db, key.id, key.itemId);
    expect({ used: c.used, mainUsed: c.mainUsed, reserved: c.reserved }, `${phase}: counters of the key of ${key.quota}`).toEqual({ used: c.active, mainUsed: c.active, reserved: 0 });
    expect(c.active, `${phase}: the key of ${key.quota} over quota`).toBeLessThanOrEqual(key.quota);
  }
}

/** Load, the fault, the servers ready again, more load; then the answers and the database are checked. */
async function underLoad(phase: string, fault: () => Promise<void>) {
  const load = startLoad();
  await sleep(1500);
  await fault();
  const ready = await secondsUntilReady();
  await sleep(1500);
  const tally = await load.stop();
  console.log(`[faults] ${phase}: ${tally.sent} requests; answers ${JSON.stringify(tally.byStatus)}; every server ready ${ready.toFixed(2)} s after it was back`);
  expect(tally.failures, phase).toEqual([]);
  expect(servers.filter((s) => s.up && s.process.child.exitCode !== null).length, `${phase}: servers that exited`).toBe(0);
  await expectInvariants(phase);
}

describe('faults under load: two servers on a scratch PostgreSQL', () => {
  it('lives through a fast restart of the database', { timeout: 120_000 }, async () => {
    await underLoad('database restart -m fast', () => scratch.restart('fast'));
  });

  it('lives through an immediate restart of the database (a crash)', { timeout: 120_000 }, async () => {
    await underLoad('database restart -m immediate', () => scratch.restart('immediate'));
  });

  it('lives through one server killed with SIGKILL and started again', { timeout: 120_000 }, async () => {
    await underLoad('server SIGKILL and start', async () => {
      const victim = servers[1]!;
      victim.up = false;
      victim.process.child.kill('SIGKILL');
      await victim.process.exited;
      const start = performance.now();
      servers[1] = { process: await startServerProcess(serverEnv(false)), up: true };
      console.log(`[faults] the killed server started again and answered /readyz 200 in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    });
    console.log(`[faults] in all: ${totals.sent} requests; answers ${JSON.stringify(totals.byStatus)}; 5xx other than 503 database_unavailable: ${totals.serverErrors}`);
    expect(totals.serverErrors).toBe(0);
  });
});
