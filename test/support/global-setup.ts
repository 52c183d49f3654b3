import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/data/database.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { testDatabaseUrl, withDatabase } from './engines.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string;
    postgresAdminUrl: string;
  }
}

/**
 * Migrates once per run: PGlite into a snapshot each test file restores, PostgreSQL into a
 * template database each test file copies. Teardown drops every database the run made.
 */
export default async function setup(project: TestProject) {
  const engine = project.config.env['KEYLINE_TEST_ENGINE'];
  const runId = `${process.pid}_${Date.now()}`;
  if (engine === 'pglite') {
    const database = await openDatabase({});
    await migrateToLatest(database.db);
    const file = path.join(os.tmpdir(), `keyline-test-${runId}.tar`);
    const dump = await database.dumpDataDir!();
    await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide('pgliteSnapshot', file);
    return async () => fs.rm(file, { force: true });
  }
  const adminUrl = testDatabaseUrl();
  const template = `keyline_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const database = await openDatabase({ url: withDatabase(adminUrl, template), poolSize: 1 });
  await migrateToLatest(database.db);
  await database.close();
  project.provide('postgresTemplate', template);
  project.provide('postgresAdminUrl', adminUrl);
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`keyline_t%_${runId}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  };
}
