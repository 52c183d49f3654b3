import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfflineRequest } from '../../src/client/offline.js';
import { newIdentity } from '../../src/client/state.js';
import type { TestApp } from '../support/harness.js';
import { offlineCustomer, offlineFingerprint, tokenUploader } from '../support/offline.js';
import type { ServerProcess } from '../support/server-process.js';
import { appWithServers, closeAppWithServers } from '../support/app-with-servers.js';

/**
 * Offline uploads of one machine racing each other. On PostgreSQL they go to two `keyline serve`
 * processes on one database, where a lock taken out of order deadlocks; PGlite is one session, so
 * there they run in turn and the same answers are expected.
 */
let t: TestApp;
let servers: ServerProcess[] = [];
beforeAll(async () => ({ t, servers } = await appWithServers()));
afterAll(() => closeAppWithServers(t, servers));

const ROUNDS = 40;

/** Rounds of offline uploads of one machine at once, each round's files made by `files` for the installation active when it starts. */
async function raceRounds(kinds: ('activation' | 'refresh' | 'deactivation')[]) {
  const c = await offlineCustomer(t);
  const upload = await tokenUploader(t, c, servers);
  const identity = await newIdentity(offlineFingerprint());
  const write = (kind: (typeof kinds)[number], installationId?: string) =>
    writeOfflineRequest(identity, { kind: `${kind}-request`, product: 'desktop-business', licenseKey: c.key, installationId, details: {} }).text;
  const activeId = async () =>
    (await t.deps.db.selectFrom('installations').select('id').where('fingerprint', '=', identity.fingerprint).where('state', '=', 'active').executeTakeFirst())?.id;

  const seen: string[] = [];
  const serverErrors: string[] = [];
  const miscounted: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let id = await activeId();
    if (!id) {
      const activated = await upload(write('activation'));
      expect(activated.status, JSON.stringify(activated.body)).toBe(200);
      id = activated.body.installationId as string;
    }
    const files = kinds.map((kind) => write(kind, id));
    // Each round the files go to the processes in another turn, so they meet every way round.
    const answers = await Promise.all(files.map((file, i) => upload(file, round + i)));
    seen.push(...answers.map((a) => a.body.error?.code ?? String(a.status)));
    if (answers.some((a) => a.status >= 500)) serverErrors.push(`round ${round}: ${answers.map((a) => a.body.error?.message ?? a.status).join(' / ')}`);
    const seats = await c.seats();
    if (seats.used !== seats.active || seats.mainUsed !== seats.active) miscounted.push(`round ${round}: ${JSON.stringify(seats)}`);
  }
  const tally = Object.fromEntries([...new Set(seen)].map((code) => [code, seen.filter((s) => s === code).length]));
  console.info(`offline races (${kinds.join(' + ')}): ${ROUNDS} rounds, ${seen.length} racing uploads on ${servers.length || 1} process(es): ${JSON.stringify(tally)}`);
  return { serverErrors, miscounted, tally };
}

describe('offline uploads of one installation at once', () => {
  it(`an activation and a deactivation both answer, never 500, and the seat counters equal the active installations after each of ${ROUNDS} rounds`, { timeout: 180_000 }, async () => {
    const { serverErrors, miscounted, tally } = await raceRounds(['activation', 'deactivation']);
    expect(serverErrors).toEqual([]);
    expect(miscounted).toEqual([]);
    // Neither file is refused: whichever comes second still finds what it needs (an active installation, or a free seat).
    expect(tally).toEqual({ '200': 2 * ROUNDS });
  });

  it(`an activation, a refresh and a deactivation never answer 500, and a refresh after the deactivation is refused as such, over ${ROUNDS} rounds`, { timeout: 180_000 }, async () => {
    const { serverErrors, miscounted, tally } = await raceRounds(['activation', 'refresh', 'deactivation']);
    expect(serverErrors).toEqual([]);
    expect(miscounted).toEqual([]);
    expect(Object.keys(tally).filter((code) => !['200', 'installation_deactivated'].includes(code))).toEqual([]);
  });
});
