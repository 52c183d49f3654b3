/**
 * `npm test`: the unit tests, then the data and API tests on PGlite and on PostgreSQL.
 * Without a reachable PostgreSQL server (a newcomer's laptop) the PostgreSQL half is skipped and
 * says so; under CI (CI=true) an unreachable server fails the run instead.
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { testDatabaseUrl } from '../test/support/engines.js';

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

const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit' });

if (problem !== null) {
  console.log(
    `\nNOTE: the PostgreSQL half of the suite was SKIPPED: ${url} is not reachable (${problem}).\n` +
      'Start PostgreSQL or set TEST_DATABASE_URL to run it; CI always runs it.',
  );
}
process.exit(result.status ?? 1);
