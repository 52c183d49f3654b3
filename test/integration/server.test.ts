import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/harness.js';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('HTTP basics', () => {
  it('answers liveness and readiness probes', async () => {
    const c = t.client();
    expect(await c.get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await c.get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('tags every response with a request id, keeping a well-formed one the caller sent', async () => {
    const c = t.client();
    for (const url of ['/healthz', '/api/v1/me', '/no/such/route']) {
      expect(String((await c.get(url)).headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    }
    const given = await c.request('GET', '/healthz', undefined, { 'x-request-id': 'trace-42.abc' });
    expect(given.headers['x-request-id']).toBe('trace-42.abc');
    const refused = await c.request('GET', '/healthz', undefined, { 'x-request-id': 'not a valid id\u0001' });
    expect(refused.headers['x-request-id']).not.toBe('not a valid id\u0001');
  });

  it('answers an unknown route with 404 in the error shape, to anyone', async () => {
    const res = await t.client().request('GET', '/api/v1/nothing-here?x=1', undefined, { 'x-request-id': 'req-404' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here', details: {}, requestId: 'req-404' } });
  });

  it('refuses malformed JSON with 400 validation_failed', async () => {
    const res = await t.client().request('POST', '/api/v1/signup', '{"email": "a@b.c",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/JSON/) });
  });

  it('reads an empty JSON body as an empty object, so its fields are reported missing', async () => {
    const res = await t.client().request('POST', '/api/v1/signup', '', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['email', 'firstName', 'lastName', 'password']),
    );
  });

  it('publishes an OpenAPI 3.1 document and its browsable docs', async () => {
    const c = t.client();
    const doc = await c.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/signup', '/api/v1/accounts/{accountId}', '/api/v1/accounts/{accountId}/audit-events']),
    );
    const docs = await c.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.body).toContain('swagger-ui');
    expect((await c.get('/docs/static/swagger-ui.css')).status).toBe(200);
  });
});

interface Served {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

// Servers a failed test left running are killed with the file.
const running = new Set<ChildProcess>();
afterAll(() => running.forEach((child) => child.kill('SIGKILL')));

/** Runs the real `keyline serve` and resolves once it listens, at the address its log reports. */
function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, KEYLINE_PORT: '0', KEYLINE_LOG_LEVEL: 'info', DATABASE_URL: '', SMTP_URL: '', ...env },
  });
  running.add(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const line = output.split('\n').find((l) => l.includes('"keyline is listening"'));
      if (line) {
        resolve({
          url: (JSON.parse(line) as { address: string }).address,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`keyline serve exited with ${code} before listening:\n${output}`)));
  });
}

describe('keyline serve', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-serve-'));
  });
  afterAll(async () => {
    killServerProcesses();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('prints the operator login on the first start only, and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    // On the postgres project the server runs on this file's fresh database, on pglite in a new data folder.
    const env = { KEYLINE_DATA_DIR: dataDir, DATABASE_URL: t.database.url ?? '' };

    const first = await serve(env);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toMatch(/Vendor operator login \(shown once\):\s+email:\s+operator@keyline\.local\s+password:\s+\S+/);

    const second = await serve(env);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
    expect(second.output()).not.toContain('Vendor operator login');
    expect(second.output()).toContain('"shutting down"');
  });

  /** Requests, each of which the server logs (at info) as it comes and as it is answered. */
  async function logLines(server: ServerProcess, requests: number) {
    for (let sent = 0; sent < requests; sent += 50) {
      await Promise.all(Array.from({ length: 50 }, () => fetch(`${server.url}/healthz`).then((r) => r.status)));
    }
  }

  it('exits on SIGTERM when the reader of its log went away, and when it stopped reading', { timeout: 120_000 }, async () => {
    // Each process in a folder of its own: on pglite a data folder is one process's.
    const env = (name: string) => ({ KEYLINE_DATA_DIR: path.join(dataDir, name), DATABASE_URL: t.database.url ?? '', KEYLINE_LOG_LEVEL: 'info' });

    // `keyline serve | head -1` once head has exited: every write to stdout fails with EPIPE.
    const gone = await startServerProcess(env('reader-gone'));
    gone.child.stdout!.destroy();
    await logLines(gone, 100);
    expect(await gone.stop()).toBe(0);

    // A reader that no longer reads: the pipe fills up and the last lines can never be written.
    const stuck = await startServerProcess(env('reader-stuck'));
    stuck.child.stdout!.pause();
    await logLines(stuck, 1500);
    expect(await stuck.stop()).toBe(0);
  });
});
