/**
 * `npm test`: the unit tests, then the data and API tests on PGlite and on PostgreSQL, the fault
 * suite on a PostgreSQL server of its own, then the web portal in Chromium. Without a reachable
 * PostgreSQL server (a newcomer's laptop) the PostgreSQL half is skipped and says so, and so are
 * the fault suite without the PostgreSQL server tools and the browser tests without Chromium;
 * under CI (CI=true) any of them missing fails the run instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../test/browser/browser.js';
import pg from 'pg';
import { testDatabaseUrl } from '../test/support/engines.js';
import { missingPostgresTools } from '../test/support/scratch-postgres.js';

async function postgresReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const url = testDatabaseUrl();
const problem = await postgresReachable(url);
const projects = ['unit', 'pglite'];
if (problem === null) projects.push('postgres');
else if (process.env['CI']) {
  console.error(`PostgreSQL at ${url} is not reachable (${problem}); CI never skips the PostgreSQL tests.`);
  process.exit(1);
}

const missingTools = missingPostgresTools();
if (missingTools.length === 0) projects.push('faults');
else if (process.env['CI']) {
  console.error(`${missingTools.join(', ')} not on PATH; CI never skips the fault suite, which starts a PostgreSQL server of its own.`);
  process.exit(1);
}

const hasChromium = existsSync(CHROMIUM);
if (hasChromium) projects.push('browser');
else if (process.env['CI']) {
  console.error(`Chromium is not installed at ${CHROMIUM}; CI never skips the browser tests.`);
  process.exit(1);
}

const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit' });

if (problem !== null) {
  console.log(
    `\nNOTE: the PostgreSQL half of the suite was SKIPPED: ${url} is not reachable (${problem}).\n` +
      'Start PostgreSQL or set TEST_DATABASE_URL to run it; CI always runs it.',
  );
}
if (missingTools.length > 0) {
  console.log(`\nNOTE: the fault suite was SKIPPED: ${missingTools.join(', ')} not on PATH (the PostgreSQL server package); CI always runs it.`);
}
if (!hasChromium) {
  console.log(`\nNOTE: the browser tests were SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium); CI always runs them.`);
}
process.exit(result.status ?? 1);
