/**
 * `npm run bench:licensing`: activations and check-ins per second with p50/p99 latency on PGlite
 * and PostgreSQL, beside two ceilings measured on the same machine in the same run: a bare
 * Fastify route and a loop of single-row conditional-UPDATE transactions on PostgreSQL. Also the
 * server's peak resident memory. Flags: --connections N, --duration S, --engines pglite,postgres.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/data/database.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedCatalog } from '../../src/data/seed.js';
import { systemClock } from '../../src/domain/clock.js';
import type { Deps } from '../../src/services/context.js';
import { buildServerIfStale, SERVER_ENTRY } from '../build-server.js';
import { benchOperator, registeredSubscription } from './fixtures.js';
import { startNode } from './processes.js';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    engines: { type: 'string', default: 'pglite,postgres' },
    'postgres-url': { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const connections = Number(flags.connections);
const duration = Number(flags.duration);
const engines = flags.engines.split(',') as ('pglite' | 'postgres')[];

interface Row {
  engine: string;
  test: string;
  perSecond: number;
  p50: number;
  p99: number;
  ratio: string;
  note: string;
}
const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections, duration, ...opts }, (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error('autocannon failed to run')) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: true, renderResultsTable: false, renderLatencyTable: false, outputStream: process.stderr });
  });
}

async function bareRouteCeiling(): Promise<number> {
  log('ceiling 1/2: bare Fastify route');
  const server = await startNode('scripts/bench/bare-server.ts', [], {}, '/bare');
  try {
    const r = await load({ url: `${server.url}/bare` });
    rows.push({ engine: '-', test: 'bare Fastify route (ceiling)', perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ratio: '100%', note: '' });
    return r.requests.average;
  } finally {
    await server.stop();
  }
}

/** Single-row conditional UPDATE transactions spread over 1,000 rows from 8 clients: the database's own ceiling. */
async function updateLoopCeiling(url: string): Promise<number> {
  log('ceiling 2/2: conditional-UPDATE transaction loop on PostgreSQL');
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query('DROP TABLE IF EXISTS bench_rows; CREATE UNLOGGED TABLE bench_rows (id int PRIMARY KEY, n int NOT NULL)');
  await pool.query('INSERT INTO bench_rows SELECT g, 0 FROM generate_series(1, 1000) g');
  const latencies: number[] = [];
  const until = Date.now() + duration * 1000;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          const started = performance.now();
          await client.query('BEGIN');
          await client.query('UPDATE bench_rows SET n = n + 1 WHERE id = $1 AND n < 2000000000', [1 + Math.floor(Math.random() * 1000)]);
          await client.query('COMMIT');
          latencies.push(performance.now() - started);
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.query('DROP TABLE bench_rows');
  await pool.end();
  latencies.sort((a, b) => a - b);
  const tps = latencies.length / duration;
  rows.push({
    engine: 'postgres',
    test: 'conditional UPDATE txn loop (ceiling)',
    perSecond: tps,
    p50: latencies[Math.floor(latencies.length * 0.5)]!,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
    ratio: '100%',
    note: '8 clients, 1,000 rows',
  });
  return tps;
}

/** Subscriptions the second activation run spreads over, each with its own seat counters, as many customers activating at once. */
const SPREAD_KEYS = 50;

/**
 * A database with registered subscriptions big enough for the run; returns their primary keys.
 * The first carries the single-key run: every activation there takes its seat from one key and one
 * item row, so they queue on those rows, one disk flush each, as exact counting requires.
 */
async function prepareDatabase(engine: 'pglite' | 'postgres', dataDir: string, url: string): Promise<string[]> {
  const database = await openDatabase(engine === 'postgres' ? { url } : { dataDir: path.join(dataDir, 'pglite') });
  try {
    await migrateToLatest(database.db);
    await seedCatalog(database.db);
    const deps: Deps = { db: database.db, relaxedDb: database.relaxed, clock: systemClock, config: loadConfig({ KEYLINE_DATA_DIR: dataDir }), log: pino({ level: 'silent' }) };
    const operator = await benchOperator(deps);
    const keys: string[] = [];
    for (let i = 0; i < 1 + SPREAD_KEYS; i++) keys.push((await registeredSubscription(deps, operator)).issued.primaryKey.key_text);
    return keys;
  } finally {
    await database.close();
  }
}

async function licensingRun(engine: 'pglite' | 'postgres', bare: number, updates: number | null) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-bench-'));
  let dbName: string | null = null;
  let url = '';
  if (engine === 'postgres') {
    dbName = `keyline_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: flags['postgres-url'] });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(flags['postgres-url']);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  log(`${engine}: preparing a database with ${1 + SPREAD_KEYS} registered subscriptions`);
  const licenseKeys = await prepareDatabase(engine, dataDir, url);
  // The server as `npm start` runs it: compiled JavaScript, so its memory is the production figure.
  const server = await startNode(SERVER_ENTRY, ['serve'], {
    KEYLINE_DATA_DIR: dataDir,
    KEYLINE_LOG_LEVEL: 'warn',
    KEYLINE_JOBS: 'off',
    KEYLINE_ACTIVATIONS_PER_KEY: '100000000',
    ...(url ? { DATABASE_URL: url } : {}),
  }, '/readyz');
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
  const tokens: string[] = [];
  try {
    const activationRun = async (test: string, keys: string[]) => {
      log(`${engine}: ${test}`);
      let n = 0;
      const before = tokens.length;
      const r = await load({
        url: server.url,
        requests: [
          {
            method: 'POST',
            path: '/licensing/v1/activations',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ product: 'desktop-business', licenseKey: keys[n++ % keys.length], fingerprint: `bench-${randomUUID()}`, publicKey, name: 'bench' }),
            }),
            onResponse: (status, body) => {
              if (status === 201) tokens.push(JSON.parse(body).installationToken);
            },
          },
        ],
      });
      const failed = r.non2xx + r.errors;
      rows.push({
        engine,
        test,
        perSecond: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        ratio: updates ? `${Math.round((r.requests.average / updates) * 100)}% of UPDATE loop` : '-',
        note: `${tokens.length - before} installations${failed ? `, ${failed} failed` : ''}`,
      });
    };
    await activationRun('activations, one key', licenseKeys.slice(0, 1));
    await activationRun(`activations, ${SPREAD_KEYS} keys`, licenseKeys.slice(1));

    log(`${engine}: check-ins by ${tokens.length} installations`);
    let next = 0;
    const checkIns = await load({
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/licensing/v1/check-ins',
          setupRequest: (req) => ({
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` },
            body: JSON.stringify({ usage: { peak: 1, current: 1, measuredAt: new Date().toISOString() } }),
          }),
        },
      ],
    });
    rows.push({
      engine,
      test: 'check-ins',
      perSecond: checkIns.requests.average,
      p50: checkIns.latency.p50,
      p99: checkIns.latency.p99,
      ratio: `${Math.round((checkIns.requests.average / bare) * 100)}% of bare route`,
      note: checkIns.non2xx + checkIns.errors ? `${checkIns.non2xx + checkIns.errors} failed` : '',
    });
    rows.push({ engine, test: 'server peak RSS (MB)', perSecond: server.peakRssMb(), p50: 0, p99: 0, ratio: '-', note: 'target < 256 MB on PostgreSQL' });
  } finally {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: flags['postgres-url'] });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
}

buildServerIfStale();
const bare = await bareRouteCeiling();
const updates = engines.includes('postgres') ? await updateLoopCeiling(flags['postgres-url']) : null;
for (const engine of engines) await licensingRun(engine, bare, updates);

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
console.log(`\nKeyline licensing benchmark: ${connections} connections, ${duration} s per test, ${os.cpus().length} CPUs\n`);
console.log('| engine | test | per second | p50 ms | p99 ms | ratio | note |');
console.log('|---|---|---:|---:|---:|---|---|');
for (const r of rows) {
  const latency = r.test.includes('RSS') ? ['', ''] : [fmt(r.p50), fmt(r.p99)];
  console.log(`| ${r.engine} | ${r.test} | ${fmt(r.perSecond)} | ${latency[0]} | ${latency[1]} | ${r.ratio} | ${r.note} |`);
}
