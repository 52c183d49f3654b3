import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server-process.js';

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free loopback port, for tests
 * that stop, restart and crash a database: the shared server on 5432 is never touched.
 */
export interface ScratchPostgres {
  /** The `postgres` database on it. */
  url: string;
  /** `pg_ctl restart`: `fast` disconnects every session and shuts down cleanly, `immediate` is a crash. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and removes its folder. */
  remove(): Promise<void>;
}

const run = promisify(execFile);
const TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const;

/** The PostgreSQL server tools missing from PATH; empty when a scratch server can be made. */
export function missingPostgresTools(): string[] {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  return TOOLS.filter((tool) => !dirs.some((dir) => existsSync(path.join(dir, tool))));
}

// initdb and pg_ctl refuse to run as root; as root they run as the postgres user.
const asRoot = process.getuid?.() === 0;
function tool(name: string, args: string[]) {
  return asRoot ? run('runuser', ['-u', 'postgres', '--', name, ...args]) : run(name, args);
}

async function ownedByPostgres(dir: string): Promise<void> {
  if (!asRoot) return;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await fs.chown(dir, Number(stdout.trim()), Number(gid.trim()));
}

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-scratch-pg-'));
  await ownedByPostgres(dir);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // No disk flushes (a test cluster lives minutes) and a socket of its own in its folder.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
  // The log file on every start, or the server writes to pg_ctl's output and holds it open.
  const pgCtl = (...args: string[]) => tool('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'server.log'), ...args]);
  await pgCtl('-o', options, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async (mode) => void (await pgCtl('-m', mode, 'restart')),
    remove: async () => {
      await pgCtl('-m', 'immediate', 'stop').catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
