/**
 * Compiles the server to JavaScript in build/ when it is missing or older than src/. The server
 * runs as plain JavaScript because a TypeScript loader in the process costs about 70 MB of memory
 * and a compile at every start.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { newestChange } from './build-web.js';

const root = path.resolve(import.meta.dirname, '..');

/** The compiled entry point: `node build/cli/main.js serve`. */
export const SERVER_ENTRY = path.join(root, 'build/cli/main.js');

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export function buildServerIfStale(force = false): boolean {
  if (!force && modifiedAt(SERVER_ENTRY) >= newestChange(path.join(root, 'src'))) return false;
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('the server did not compile (see above)');
  return true;
}
