import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, createTestApp, signedInUser, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';

describe('a session in the list of sessions', () => {
  it('is named by its browser and system, and placed where it was last used', async () => {
    const { client, email } = await signedInUser(t, 'place');
    // Signed in from the office, then used from home a moment later.
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password: PASSWORD }, headers: { 'user-agent': FIREFOX_ON_WINDOWS }, remoteAddress: '10.1.1.1' });
    expect(signedIn.statusCode).toBe(201);
    const cookie = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '10.2.2.2' })).statusCode).toBe(200);

    const { items } = (await client.get('/api/v1/sessions')).body as { items: { ip: string; device: string | null; current: boolean }[] };
    expect(items.find((s) => !s.current)).toMatchObject({ ip: '10.2.2.2', device: 'Firefox 125 on Windows' });
    expect(items.find((s) => s.current)).toMatchObject({ ip: client.ip });
  });
});
