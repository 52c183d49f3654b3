import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcess {
  url: string;
  /** What the server printed so far (the operator login of a first start, warnings). */
  output(): string;
  /** The process: its stdout is the log, for tests of a reader that stops reading or goes away. */
  child: ChildProcess;
  /** Its exit code once it has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGTERM, and its exit code once it has exited. */
  stop(): Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, '../..');
const running = new Set<ChildProcess>();

/** Kills what a failed test left running; call from afterAll. */
export function killServerProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/**
 * Runs the real `keyline serve` on a free port with quiet logs and resolves once it is ready.
 * It gives up when the process exits first, with what it printed.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, KEYLINE_HOST: '127.0.0.1', KEYLINE_PORT: String(port), KEYLINE_LOG_LEVEL: 'warn', KEYLINE_JOBS: 'off', SMTP_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`keyline serve exited with ${child.exitCode} before it was ready:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    await sleep(100);
  }
  return {
    url,
    output: () => output,
    child,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Two real `keyline serve` processes on one PostgreSQL database, where races between processes are real. */
export function startServersOn(databaseUrl: string, count = 2): Promise<ServerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startServerProcess({ DATABASE_URL: databaseUrl })));
}

/** Stops what startServersOn started, and whatever a failed test left running. */
export async function stopServers(servers: ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
  killServerProcesses();
}
