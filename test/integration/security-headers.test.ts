import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Reply, type TestApp } from '../support/harness.js';

/** What every answer must carry for a browser, whatever route or outcome produced it. */
function expectHardened(res: Reply, what: string): void {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect([what, csp]).toEqual([what, expect.stringContaining("frame-ancestors 'none'")]);
  expect([what, csp]).toEqual([what, expect.stringContaining("script-src 'self'")]);
  expect([what, csp]).not.toEqual([what, expect.stringContaining('unsafe-inline')]);
  expect([what, res.headers['x-content-type-options'], res.headers['x-frame-options'], res.headers['referrer-policy']]).toEqual([
    what,
    'nosniff',
    'DENY',
    'no-referrer',
  ]);
}

const PATHS = [
  '/healthz',
  '/openapi.json',
  '/docs',
  '/docs/static/index.html',
  '/docs/static/swagger-ui.css',
  '/api/v1/me',
  '/api/v1/no-such-route',
  '/licensing/v1/status',
  '/.well-known/keyline/jwks.json',
];

describe('security headers over http', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('harden the API, the docs and the errors alike', async () => {
    for (const path of PATHS) expectHardened(await t.client().get(path), `GET ${path}`);
    expectHardened(await t.client().post('/api/v1/sessions', { email: 'nobody@example.com', password: 'wrong password' }), 'POST /api/v1/sessions');
  });

  it('promise no https the server does not have: no HSTS, no upgrade of requests', async () => {
    const res = await t.client().get('/api/v1/me');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });
});

describe('security headers behind https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: 'https://licensing.example.com' });
  });
  afterAll(() => t.close());

  it('ask the browser to come back over https only', async () => {
    for (const path of ['/api/v1/me', '/docs', '/healthz']) {
      const res = await t.client().get(path);
      expectHardened(res, `GET ${path}`);
      expect([path, res.headers['strict-transport-security']]).toEqual([path, 'max-age=31536000; includeSubDomains']);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    }
  });
});
