import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, launchChromium, startPortalServer, type PortalServer } from './browser.js';

let portal: PortalServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  portal = await startPortalServer('hardening');
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: portal.server.url, viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

describe('the browser under the shipped security policy', () => {
  it('renders the API reference with no refusal', async () => {
    const page = await context.newPage();
    await page.goto('/docs');
    await page.getByText('Keyline API').first().waitFor();
    await page.getByText('/api/v1/signup').first().waitFor();
  });

  it('refuses a script injected into a portal page, and reports it', async () => {
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
    // Seen and refused as intended: not a defect of the portal.
    expect(cspViolations.splice(0)).toEqual([expect.stringMatching(/^CSP violation: script-src-elem blocked inline on /)]);
  });

  it('keeps the signed-in portal out of other sites\' frames', async () => {
    const page = await context.newPage();
    await page.setContent(`<iframe src="${portal.server.url}/dashboard" width="800" height="600"></iframe>`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    // Chromium replaces a frame its ancestors may not hold with its own error page.
    await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
  });
});
