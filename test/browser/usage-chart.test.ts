import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchChromium, screenshot, startPortalServer, type PortalServer } from './browser.js';
import { agent, apiSession, issueOrder, registerKey, signIn, signUpCustomer } from './flows.js';

// An installation's details draw its usage history as a chart against the quota (issue 13, point 7).

let portal: PortalServer;
let browser: Browser;
let accountId: string;
let installationId: string;
const stamp = Date.now();
const customer = { email: `pia.${stamp}@example.com`, password: 'pia-password-1', firstName: 'Pia', lastName: 'Proxy', company: `Proxy Works ${stamp}` };
const DAY = 86_400_000;

beforeAll(async () => {
  portal = await startPortalServer('usage-chart');
  const url = portal.server.url;
  ({ businessAccountId: accountId } = await signUpCustomer(url, customer));
  const licenseKey = await issueOrder(url, portal.operatorPassword, { customerEmail: customer.email, channel: 'reseller', duration: '1y', items: [{ productCode: 'mac-sccm', quantity: 100 }] });
  const api = await apiSession(url, customer.email, customer.password);
  await registerKey(api, accountId, licenseKey);
  await api.dispose();
  const state = path.join(portal.dataDir, 'proxy.json');
  const activated = await agent('activate', '--server', url, '--product', 'mac-sccm', '--key', licenseKey, '--name', 'sccm-proxy-1', '--state', state);
  expect(activated.code).toBe(0);
  const { activation } = JSON.parse(await readFile(state, 'utf8')) as { activation: { installationId: string; installationToken: string } };
  installationId = activation.installationId;
  // Four weekly reports the proxy had kept, the latest over the quota of 100.
  for (const [weeksAgo, peak, current] of [
    [3, 60, 55],
    [2, 80, 72],
    [1, 90, 88],
    [0, 120, 110],
  ] as const) {
    const res = await fetch(`${url}/licensing/v1/check-ins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${activation.installationToken}` },
      body: JSON.stringify({ usage: { peak, current, measuredAt: new Date(Date.now() - weeksAgo * 7 * DAY).toISOString() } }),
    });
    expect(res.status).toBe(200);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const chart = (within: Locator) => within.getByRole('img', { name: 'Usage history' });

describe("a proxy's usage history", () => {
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`is a chart of the peaks against the quota, the time over it shaded, with the table below, at ${viewport.width} px`, async () => {
      const context = await browser.newContext({ baseURL: portal.server.url, viewport, locale: 'en-US' });
      const page = await signIn(context, customer.email, customer.password);
      await page.goto(`/accounts/${accountId}/installations/${installationId}`);
      const dialog = page.getByRole('dialog', { name: 'Installation details' });
      const picture = chart(dialog);
      await picture.waitFor();
      expect(await picture.getAttribute('aria-labelledby')).toBeTruthy();
      const description = await picture.locator('desc').textContent();
      expect(description).toContain('Peak and current usage on 4 report date(s)');
      expect(description).toContain('Highest peak 120');
      expect(description).toContain('Quota 100; 1 date(s) over it.');
      expect(description).toContain('Shaded: Over the limit since');

      expect(await picture.locator('rect.usage-bar').count()).toBe(4);
      expect(await picture.locator('rect.usage-bar.over').count()).toBe(1);
      expect(await picture.locator('circle.usage-current').count()).toBe(4);
      const quota = picture.locator('line.usage-quota');
      expect(await quota.count()).toBe(1);
      const shade = picture.locator('rect.usage-overuse');
      expect(await shade.count()).toBe(1);
      // The bar over the quota rises above its line and stands in the shading; the others stay below, outside it.
      const quotaY = Number(await quota.getAttribute('y1'));
      const bars = await picture.locator('rect.usage-bar').evaluateAll((rects) =>
        rects.map((r) => ({ y: Number(r.getAttribute('y')), x: Number(r.getAttribute('x')), over: r.classList.contains('over') })),
      );
      const shadeX = Number(await shade.getAttribute('x'));
      for (const bar of bars) {
        expect(bar.y < quotaY).toBe(bar.over);
        expect(bar.x >= shadeX).toBe(bar.over);
      }
      // The whole picture fits the dialog: nothing to scroll sideways.
      const box = await picture.boundingBox();
      const dialogBox = await dialog.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(dialogBox!.x + dialogBox!.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

      const legend = dialog.locator('.usage-legend');
      await legend.getByText('Quota (100)').waitFor();
      await legend.getByText(/Over the limit since .* \(warnings only\)/).waitFor();
      const table = dialog.getByRole('table', { name: 'Usage history' });
      expect(await table.getByRole('cell', { name: /^\d{4}-\d{2}-\d{2}$/ }).count()).toBe(4);
      expect(await table.getByRole('row').filter({ hasText: '110' }).textContent()).toContain('120');
      await dialog.getByText('Next usage report due').waitFor();

      await picture.scrollIntoViewIfNeeded();
      await screenshot(page, `usage-chart-${viewport.width}`);
      expect(await accessibilityProblems(page)).toEqual([]);
      await context.close();
    });
  }
});
