import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
