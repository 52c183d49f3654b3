import { testEngine } from './database.js';
import { createTestApp, type TestApp } from './harness.js';
import { startServersOn, stopServers, type ServerProcess } from './server-process.js';

/**
 * A test app and, on PostgreSQL, two real `keyline serve` processes on its database, where races
 * between processes are real. PGlite is one session: there requests go to the app in this process.
 */
export async function appWithServers(): Promise<{ t: TestApp; servers: ServerProcess[] }> {
  const t = await createTestApp();
  return { t, servers: testEngine() === 'postgres' ? await startServersOn(t.database.url!) : [] };
}

export async function closeAppWithServers(t: TestApp | undefined, servers: ServerProcess[]): Promise<void> {
  await stopServers(servers);
  await t?.close();
}
