import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';

export const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');

/** Debian's Chromium, headless and quiet: no sandbox (containers), no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * What axe-core (the accessibility engine browsers' own audits use) finds wrong on the page as
 * shown: WCAG 2.1 A and AA rules, one line per rule broken, naming the first element.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
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

export interface PortalServer {
  server: ServerProcess;
  /** Its data folder, removed by stop(): a place for the test's own files too. */
  dataDir: string;
  /** The vendor operator's password, printed once by the first start of a new database. */
  operatorPassword: string;
  stop(): Promise<void>;
}

/** The real `keyline serve` on a fresh embedded database of its own, as a newcomer starts it. */
export async function startPortalServer(name: string): Promise<PortalServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `keyline-${name}-`));
  const server = await startServerProcess({ KEYLINE_DATA_DIR: dataDir });
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
