#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { registerAgentCommands } from './agent.js';
import { registerVendorCommands } from './vendor.js';

/** A graceful stop waits this long for in-flight requests and jobs, then the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;
/** The last log lines get this long to reach stdout's reader. */
const LOG_FLUSH_MS = 1000;

// The server and database modules load only for the commands that run them, so the client
// commands (`keyline vendor ...`) start in a fraction of the time.
const program = new Command('keyline').description('Keyline: self-hosted software licensing');

program
  .command('serve')
  .description('start the API, licensing server and portal (KEYLINE_HOST, KEYLINE_PORT, DATABASE_URL, ...)')
  .option('--host <host>', 'address to listen on (KEYLINE_HOST)')
  .option('--port <port>', 'port to listen on (KEYLINE_PORT)')
  .option('--data-dir <dir>', 'data folder for the embedded database and dev mailbox (KEYLINE_DATA_DIR)')
  .action(async (opts: { host?: string; port?: string; dataDir?: string }) => {
    const config = loadConfig({
      ...process.env,
      ...(opts.host ? { KEYLINE_HOST: opts.host } : {}),
      ...(opts.port ? { KEYLINE_PORT: opts.port } : {}),
      ...(opts.dataDir ? { KEYLINE_DATA_DIR: opts.dataDir } : {}),
    });
    const { startServer } = await import('../server.js');
    const server = await startServer(config);
    const exit = async (code: number) => {
      await server.closeLog(LOG_FLUSH_MS);
      process.exit(code);
    };
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        server.deps.log.info({ signal }, 'shutting down');
        // Whatever does not finish (a request that hangs, a database that does not answer), the process ends.
        const deadline = setTimeout(() => {
          server.deps.log.error({ ms: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting');
          void exit(1);
        }, SHUTDOWN_DEADLINE_MS);
        server.stop().then(
          () => (clearTimeout(deadline), exit(0)),
          (err: unknown) => {
            clearTimeout(deadline);
            server.deps.log.error({ err }, 'shutdown failed');
            return exit(1);
          },
        );
      });
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const [{ openConfiguredDatabase }, { migrateToLatest }] = await Promise.all([import('../server.js'), import('../data/migrate.js')]);
    const database = await openConfiguredDatabase(loadConfig());
    try {
      const { applied } = await migrateToLatest(database.db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
  });

registerVendorCommands(program);
registerAgentCommands(program);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
