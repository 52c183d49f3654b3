import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Database } from './data/database.js';
import { migrateToLatest } from './data/migrate.js';
import { seedCatalog } from './data/seed.js';
import { systemClock, type Clock } from './domain/clock.js';
import { buildApp, type AppState } from './http/app.js';
import { startOutboxWorker } from './jobs/outbox-worker.js';
import { purgeWebhookLog, startWebhookWorker } from './jobs/webhook-worker.js';
import { openServerLog, type ServerLog } from './log.js';
import { startPeriodicJob, type PeriodicJob } from './jobs/periodic.js';
import { recordExpiredSubscriptions, sendExpiryReminders } from './services/notifications/expiry-reminders.js';
import { purgeOfflineNonces } from './services/licensing/purge-offline-nonces.js';
import { purgeExpiredGrants } from './data/repositories/sso-grants.js';
import { releaseExpiredSublicenses } from './services/sublicenses/release-expired-sublicenses.js';
import { createMailTransport, type MailTransport } from './mail/transport.js';
import type { Deps } from './services/context.js';
import { bootstrapOperator } from './services/operators/bootstrap-operator.js';

export interface RunningServer {
  app: FastifyInstance;
  deps: Deps;
  database: Database;
  transport: MailTransport;
  url: string;
  stop(): Promise<void>;
  /** See ServerLog.close: after `stop`, before the process exits. */
  closeLog: ServerLog['close'];
}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') });
}

/**
 * Starts the whole system: database (created, migrated and seeded on first start), HTTP API,
 * background jobs. Stops gracefully: readiness turns false, in-flight requests finish, jobs stop,
 * the database closes.
 */
export async function startServer(config: Config, options: { clock?: Clock; database?: Database } = {}): Promise<RunningServer> {
  const { log, close: closeLog } = openServerLog(config.logLevel);
  const database = options.database ?? (await openConfiguredDatabase(config));
  const deps: Deps = { db: database.db, relaxedDb: database.relaxed, clock: options.clock ?? systemClock, config, log };

  const { applied } = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied, engine: database.engine }, 'database migrated');
  const seeded = await seedCatalog(database.db);
  if (seeded) log.info({ products: seeded }, 'demo catalog seeded');
  const operator = await bootstrapOperator(deps);
  if (operator) {
    // Printed once, on the first start of a new database: the way into the vendor back office.
    process.stdout.write(
      `\n  Vendor operator login (shown once):\n    email:    ${operator.email}\n    password: ${operator.password}\n\n`,
    );
  }

  const state: AppState = { shuttingDown: false };
  const app = await buildApp(deps, state);
  const transport = createMailTransport(config);
  // Background jobs run in every server process; each claims its rows, so each due item runs once.
  const jobs: PeriodicJob[] = config.runJobs
    ? [
        startOutboxWorker(deps, transport),
        startWebhookWorker(deps),
        startPeriodicJob(deps, 'webhook-log-purge', 60 * 60_000, () => purgeWebhookLog(deps)),
        startPeriodicJob(deps, 'sublicense-expiry', 60_000, () => releaseExpiredSublicenses(deps)),
        startPeriodicJob(deps, 'expiry-reminders', 15 * 60_000, async () => {
          await sendExpiryReminders(deps);
          await recordExpiredSubscriptions(deps);
        }),
        startPeriodicJob(deps, 'offline-nonce-purge', 60 * 60_000, () => purgeOfflineNonces(deps)),
        startPeriodicJob(deps, 'sso-grant-purge', 60 * 60_000, () => purgeExpiredGrants(deps.db, deps.clock.now())),
      ]
    : [];
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address, engine: database.engine, mail: transport.kind }, 'keyline is listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state.shuttingDown = true;
      await app.close();
      await Promise.all(jobs.map((job) => job.stop()));
      transport.close();
      await database.close();
    })());
  return { app, deps, database, transport, url: address, stop, closeLog };
}
