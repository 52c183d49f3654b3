/**
 * `npm run bench:installations`: the portal's installation list at fleet size on PostgreSQL.
 * Seeds one account with --installations (default 100,000) installations over a few keys, then
 * times GET /api/v1/accounts/{id}/installations through the real app (in-process inject, so the
 * time is routing, auth, validation, SQL and serialisation) for every filter and every sort: the
 * first page, and deep pages reached by following cursors. Prints p50 and p95 per case and the
 * worst p95. Uses DATABASE_URL, or creates a scratch database on 127.0.0.1:5432 and drops it.
 * Flags: --installations N, --pages N (pages followed per walk), --walks N (walks per case), --limit N.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/data/database.js';
import { insertLicenseKey } from '../../src/data/repositories/license-keys.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedCatalog } from '../../src/data/seed.js';
import { addDays, systemClock } from '../../src/domain/clock.js';
import { buildApp } from '../../src/http/app.js';
import type { Deps } from '../../src/services/context.js';
import { generateLicenseKey } from '../../src/services/licensing/key-material.js';
import { createApiToken } from '../../src/services/users/api-tokens.js';
import { benchOperator, registeredSubscription } from './fixtures.js';
import { seedInstallations } from './seed-installations.js';

const { values: flags } = parseArgs({
  options: {
    installations: { type: 'string', default: '100000' },
    pages: { type: 'string', default: '20' },
    walks: { type: 'string', default: '2' },
    limit: { type: 'string', default: '50' },
    'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const count = Number(flags.installations);
const pages = Number(flags.pages);
const walks = Number(flags.walks);
const limit = Number(flags.limit);
const TARGET_MS = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** DATABASE_URL as given, or a scratch database that is dropped afterwards. */
async function database(): Promise<{ url: string; drop: () => Promise<void> }> {
  const given = process.env['DATABASE_URL'];
  if (given) return { url: given, drop: async () => {} };
  const name = `keyline_bench_installations_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: flags['admin-url'] });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(flags['admin-url']);
  url.pathname = `/${name}`;
  log(`scratch database ${name}`);
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** An account holding one subscription with a primary key and four sublicenses: one expired, one expiring soon. */
async function customer(deps: Deps) {
  const { issued, account, customer } = await registeredSubscription(deps, await benchOperator(deps));
  const now = deps.clock.now();
  const keyIds = [issued.primaryKey.id];
  for (const [name, expiresAt] of [['Lab', null], ['Office', null], ['Contractors', addDays(now, 10)], ['Old pilot', addDays(now, -5)]] as const) {
    const { key, hash } = generateLicenseKey();
    const row = await insertLicenseKey(deps.db, {
      subscriptionId: issued.subscription.id,
      itemId: issued.items[0]!.id,
      accountId: account.id,
      kind: 'dynamic',
      name,
      quota: 5_000_000,
      keyHash: hash,
      keyText: key,
      expiresAt,
      createdBy: customer.userId,
    });
    keyIds.push(row.id);
  }
  const { token } = await createApiToken(deps, customer, 'bench');
  return { accountId: account.id, subscriptionId: issued.subscription.id, itemId: issued.items[0]!.id, keyIds, token };
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main() {
  const db = await database();
  const opened = await openDatabase({ url: db.url });
  try {
    await migrateToLatest(opened.db);
    await seedCatalog(opened.db);
    const deps: Deps = { db: opened.db, relaxedDb: opened.relaxed, clock: systemClock, config: loadConfig({ KEYLINE_DATA_DIR: path.join(os.tmpdir(), 'keyline-bench') }), log: pino({ level: 'silent' }) };
    const c = await customer(deps);
    const started = Date.now();
    await seedInstallations(opened.db, {
      ...c,
      count,
      now: deps.clock.now(),
      progress: (done) => log(`seeded ${done.toLocaleString('en')} / ${count.toLocaleString('en')} installations (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    });
    log(`seeded and analysed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const app = await buildApp({ ...deps, config: { ...deps.config, runJobs: false } });
    await app.ready();
    const base = `/api/v1/accounts/${c.accountId}/installations`;
    const get = async (url: string) => {
      const t0 = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${c.token}` } });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return { ms, body: res.json() as { items: unknown[]; nextCursor: string | null } };
    };

    const filters: Record<string, string> = {
      all: '',
      'state=active': 'state=active',
      'state=deactivated': 'state=deactivated',
      'state=blacklisted': 'state=blacklisted',
      'expiry=expiring_soon': 'expiry=expiring_soon',
      'expiry=expired': 'expiry=expired',
      keyId: `keyId=${c.keyIds[1]}`,
      subscriptionId: `subscriptionId=${c.subscriptionId}`,
      product: 'product=desktop-business',
      'q (many)': 'q=macos%2014',
      'q (one)': 'q=sn00031337',
    };
    const sorts = ['lastSeen', 'activatedAt', 'name', 'expiresAt'].flatMap((s) => [`${s} asc`, `${s} desc`]);
    // Warm the pool and the caches the way a running server is.
    for (let i = 0; i < 20; i++) await get(`${base}?limit=${limit}`);

    const rows: { filter: string; sort: string; first: number[]; deep: number[]; reached: number }[] = [];
    for (const [name, filter] of Object.entries(filters)) {
      for (const sortOrder of sorts) {
        const [sort, order] = sortOrder.split(' ');
        const query = `${base}?limit=${limit}&sort=${sort}&order=${order}${filter ? `&${filter}` : ''}`;
        const row = { filter: name, sort: sortOrder, first: [] as number[], deep: [] as number[], reached: 0 };
        for (let w = 0; w < walks; w++) {
          let cursor: string | null = null;
          for (let p = 0; p < pages; p++) {
            const { ms, body } = await get(cursor ? `${query}&cursor=${cursor}` : query);
            (p === 0 ? row.first : row.deep).push(ms);
            row.reached = Math.max(row.reached, p + 1);
            cursor = body.nextCursor;
            if (!cursor) break;
          }
        }
        rows.push(row);
        log(`${name} / ${sortOrder}: first p95 ${percentile(row.first, 95).toFixed(1)} ms${row.deep.length ? `, deep p95 ${percentile(row.deep, 95).toFixed(1)} ms` : ''}`);
      }
    }
    await app.close();

    const fmt = (xs: number[], p: number) => (xs.length ? percentile(xs, p).toFixed(1) : '-');
    const lines = [
      `${count.toLocaleString('en')} installations in one account, PostgreSQL, ${limit} rows a page, deep = pages 2-${pages} by cursor, ${walks} walks per case (ms)`,
      '',
      '| filter | sort | first p50 | first p95 | deep p50 | deep p95 | pages |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.filter} | ${r.sort} | ${fmt(r.first, 50)} | ${fmt(r.first, 95)} | ${fmt(r.deep, 50)} | ${fmt(r.deep, 95)} | ${r.reached} |`),
    ];
    const worst = rows
      .flatMap((r) => [
        { label: `${r.filter} / ${r.sort} first`, p95: percentile(r.first, 95) },
        ...(r.deep.length ? [{ label: `${r.filter} / ${r.sort} deep`, p95: percentile(r.deep, 95) }] : []),
      ])
      .sort((a, b) => b.p95 - a.p95)[0]!;
    lines.push('', `worst p95: ${worst.p95.toFixed(1)} ms (${worst.label}); target ${TARGET_MS} ms: ${worst.p95 <= TARGET_MS ? 'met' : 'MISSED'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await opened.close();
    await db.drop();
  }
}

await main();
