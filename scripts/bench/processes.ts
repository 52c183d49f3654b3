import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface Child {
  process: ChildProcess;
  url: string;
  /** Peak resident memory of the process so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a Node script (TypeScript under tsx) on a free port (given as PORT and KEYLINE_PORT) and waits until `readyPath` answers 200. */
export async function startNode(script: string, args: string[], env: Record<string, string>, readyPath: string): Promise<Child> {
  const port = await freePort();
  // BENCH_PROFILE=<folder> writes a V8 CPU profile of each child there, to see where the time goes.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...profile, ...loader, script, ...args], {
    env: { ...process.env, ...env, PORT: String(port), KEYLINE_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${stderr}`);
    const ok = await fetch(url + readyPath).then((r) => r.ok, () => false);
    if (ok) break;
    if (attempt > 600) throw new Error(`${script} did not become ready:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    url,
    peakRssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
