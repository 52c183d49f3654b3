import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');

/** What the pages of this test file were refused by the Content-Security-Policy; test/browser/setup.ts fails a test that saw any. */
export const cspViolations: string[] = [];

/** Reports each refusal of the page's policy as a console line the context below collects. */
function reportCspViolations(): void {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`);
  });
}

function watchCsp(context: BrowserContext): void {
  void context.addInitScript(reportCspViolations);
  context.on('console', (message) => {
    if (message.type() === 'error' && message.text().startsWith('CSP violation:')) cspViolations.push(message.text());
  });
}

/**
 * Debian's Chromium, headless and quiet: no sandbox (containers), no background traffic. Every
 * context it opens watches for Content-Security-Policy violations, so the portal is tested under
 * the policy it ships with.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    watchCsp(context);
    return context;
  };
  return browser;
}

// Evaluated rather than added as a <script>, which the portal's policy rightly refuses.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * What axe-core (the accessibility engine browsers' own audits use) finds wrong on the page as
 * shown: WCAG 2.1 A and AA rules, one line per rule broken, naming the first element.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, first ${v.nodes[0]?.target.join(' ')})`);
  });
}

/** A full-page picture for people to look at (test-output/screenshots, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** How many lines the top bar's pieces (the brand, each menu entry, the switcher and Sign out) take; a heading's closed entries take none. */
export function topBarLines(page: Page): Promise<number> {
  return page.locator('.topbar-inner').evaluate((bar) => {
    const boxes = [...bar.querySelectorAll('.brand, nav li, .topbar-tools > *')]
      .map((e) => e.getBoundingClientRect())
      .filter((box) => box.height > 0)
      .sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const box of boxes) {
      if (box.top >= bottom) lines++;
      bottom = Math.max(bottom, box.bottom);
    }
    return lines;
  });
}

export interface PortalServer {
  server: ServerProcess;
  /** Its data folder, removed by stop(): a place for the test's own files too. */
  dataDir: string;
  /** The vendor operator's password, printed once by the first start of a new database. */
  operatorPassword: string;
  stop(): Promise<void>;
}

/** The real `keyline serve` on a fresh embedded database of its own, as a newcomer starts it; `env` adds settings. */
export async function startPortalServer(name: string, env: Record<string, string> = {}): Promise<PortalServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `keyline-${name}-`));
  const server = await startServerProcess({ ...env, KEYLINE_DATA_DIR: dataDir });
  const operatorPassword = server.output().match(/password:\s+(\S+)/)?.[1];
  if (!operatorPassword) throw new Error(`the server printed no operator login:\n${server.output()}`);
  return {
    server,
    dataDir,
    operatorPassword,
    async stop() {
      await server.stop();
      killServerProcesses();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many pixels the page is wider than the window: more than 0 makes the reader scroll sideways. */
export const sidewaysOverflow = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
