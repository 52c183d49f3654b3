import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/data/database.js';
import { buildApp } from '../../src/http/app.js';
import { systemClock } from '../../src/domain/clock.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { uniqueEmail } from '../support/harness.js';
import { runVendorCli } from '../support/vendor-cli.js';

/**
 * `keyline vendor operators` run for real against a server's database: on PostgreSQL the test's
 * own database, on PGlite a data folder (which one process opens at a time, so it is read after
 * each command).
 */

let home: string;
let target: Record<string, string>;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyline-operators-'));
  if (testEngine() === 'postgres') {
    const database = await openTestDatabase();
    await database.close();
    target = { DATABASE_URL: database.url! };
  } else {
    target = { KEYLINE_DATA_DIR: path.join(home, 'data') };
  }
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function openTarget(): Promise<Database> {
  return target['DATABASE_URL'] ? openDatabase({ url: target['DATABASE_URL'] }) : openDatabase({ dataDir: path.join(target['KEYLINE_DATA_DIR']!, 'pglite') });
}

/** Signs in on an app over the target database, as the operator would at the portal. */
async function signInStatus(email: string, password: string): Promise<number> {
  const database = await openTarget();
  try {
    const config = loadConfig({ KEYLINE_DATA_DIR: home });
    const app = await buildApp({ db: database.db, relaxedDb: database.relaxed, clock: systemClock, config, log: pino({ level: 'silent' }) });
    const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } });
    await app.close();
    return res.statusCode;
  } finally {
    await database.close();
  }
}

const operators = (args: string[], env: Record<string, string> = {}) => runVendorCli(['operators', ...args], home, { ...target, ...env });

describe('keyline vendor operators', () => {
  const email = uniqueEmail('operator');

  it('creates an operator whose printed password signs in, and refuses the same address twice', async () => {
    const created = await operators(['create', '--email', email, '--first-name', 'Olga']);
    expect([created.code, created.stderr]).toEqual([0, '']);
    const password = /password:\s+(\S+)/.exec(created.stdout)?.[1];
    expect(password).toBeDefined();
    expect(await signInStatus(email, password!)).toBe(201);

    const again = await operators(['create', '--email', email]);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'email_taken: A user with this email address already exists']);
  });

  it("replaces a lost password: the old one stops working, the new one signs in", async () => {
    const first = await operators(['--json', 'create', '--email', `second.${email}`, '--password', 'first password 1']);
    expect(JSON.parse(first.stdout)).toEqual({ email: `second.${email}`, password: 'first password 1' });
    const reset = await operators(['reset-password', '--email', `second.${email}`], { KEYLINE_PASSWORD: 'second password 2' });
    expect(reset.code).toBe(0);
    expect(await signInStatus(`second.${email}`, 'first password 1')).toBe(401);
    expect(await signInStatus(`second.${email}`, 'second password 2')).toBe(201);
  });

  it('resets operators only, and takes no password too short to keep', async () => {
    const stranger = await operators(['reset-password', '--email', 'nobody@example.com']);
    expect([stranger.code, stranger.stderr.trim()]).toEqual([1, 'not_found: Operator was not found']);
    const short = await operators(['reset-password', '--email', email, '--password', 'short']);
    expect([short.code, short.stderr]).toEqual([2, expect.stringContaining('--password must be 8 to 200 characters')]);
  });
});
