/**
 * Builds the web portal into dist/web when it is missing or older than its sources, so that
 * `npm start` always serves the portal of this checkout. `--force` builds regardless.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const sources = path.join(root, 'web');
const built = path.join(root, 'dist/web/index.html');

export function newestChange(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory() ? newestChange(full) : statSync(full).mtimeMs;
    }),
  );
}

function builtAt(): number {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
}

export async function buildWebIfStale(force = false): Promise<boolean> {
  if (!force && builtAt() >= newestChange(sources)) return false;
  await build({ configFile: path.join(sources, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rebuilt = await buildWebIfStale(process.argv.includes('--force'));
  if (rebuilt) console.log('web portal built into dist/web');
}
