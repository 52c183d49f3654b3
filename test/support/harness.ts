import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/data/database.js';
import { listOutbox } from '../../src/data/repositories/outbox.js';
import { seedCatalog } from '../../src/data/seed.js';
import { buildApp } from '../../src/http/app.js';
import type { Deps } from '../../src/services/context.js';
import { TestClock } from './clock.js';
import { openTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  clock: TestClock;
  database: Database & { url: string | null };
  /** A client with its own cookie jar: one browser, one person. */
  client(ip?: string): ApiClient;
  /** Emails written to the outbox for an address, newest first. */
  emailsTo(address: string): Promise<{ subject: string; text: string; template: string }[]>;
  close(): Promise<void>;
}

/** The API in process, on a fresh database of the engine under test, or on `database` (migrated) when given one. */
export async function createTestApp(overrides: Partial<Config> = {}, given?: TestApp['database']): Promise<TestApp> {
  const database = given ?? (await openTestDatabase());
  await seedCatalog(database.db);
  const clock = new TestClock();
  const config: Config = {
    ...loadConfig({ KEYLINE_DATA_DIR: path.join(os.tmpdir(), 'keyline-test-data'), KEYLINE_PUBLIC_URL: 'http://keyline.test' }),
    runJobs: false,
    ...overrides,
  };
  const deps: Deps = { db: database.db, relaxedDb: database.relaxed, clock, config, log: pino({ level: 'silent' }) };
  const app = await buildApp(deps);
  await app.ready();
  let clients = 0;
  return {
    app,
    deps,
    clock,
    database,
    client: (ip) => new ApiClient(app, ip ?? `10.0.${Math.floor(++clients / 250)}.${clients % 250}`),
    emailsTo: async (address) =>
      (await listOutbox(database.db, { to: address, limit: 100 })).map((m) => ({ subject: m.subject, text: m.text_body, template: m.template })),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
}

/** Talks to the API as a browser would: keeps cookies and echoes the CSRF token on unsafe methods. */
export class ApiClient {
  private cookies = new Map<string, string>();
  csrfToken: string | null = null;
  bearer: string | null = null;

  constructor(
    private readonly app: FastifyInstance,
    readonly ip: string,
  ) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrfToken && !['GET', 'HEAD'].includes(method)) h['x-csrf-token'] ??= this.csrfToken;
    if (this.bearer) h['authorization'] = `Bearer ${this.bearer}`;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers: h,
      remoteAddress: this.ip,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: (type.includes('json') ? res.json() : res.body) as T, headers: res.headers };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body ?? {});
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body ?? {});
  }
  put<T = any>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body ?? {});
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }

  async signIn(email: string, password: string): Promise<Reply> {
    const res = await this.post('/api/v1/sessions', { email, password });
    if (res.status === 201) this.csrfToken = res.body.csrfToken;
    return res;
  }

  hasSession(): boolean {
    return this.cookies.has('keyline_session');
  }
}

let counter = 0;
export function uniqueEmail(name = 'user'): string {
  return `${name}.${process.pid}.${Date.now()}.${++counter}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** Signs up a new user, confirms the email from the outbox and signs in. */
export async function signedInUser(t: TestApp, name = 'user', extra: Record<string, unknown> = {}) {
  const email = uniqueEmail(name);
  const c = t.client();
  const res = await c.post('/api/v1/signup', { email, firstName: name, lastName: 'Tester', password: PASSWORD, ...extra });
  if (res.status !== 201) throw new Error(`signup failed: ${JSON.stringify(res.body)}`);
  const [mail] = await t.emailsTo(email);
  const token = /token=([\w-]+)/.exec(mail!.text)![1]!;
  const verified = await c.post('/api/v1/email-verification', { token });
  if (verified.status !== 200) throw new Error(`verification failed: ${JSON.stringify(verified.body)}`);
  const signed = await c.signIn(email, PASSWORD);
  if (signed.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(signed.body)}`);
  return { client: c, email, userId: res.body.user.id as string, businessAccountId: res.body.businessAccountId as string | null };
}

export const ACME = {
  name: 'Acme Widgets GmbH',
  street: 'Hauptstrasse 1',
  city: 'Berlin',
  country: 'DE',
  state: null,
  zip: '10115',
  phone: '+49 30 1234567',
};
