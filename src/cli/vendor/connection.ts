import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { apiClient, ApiError, type ApiClient } from '../http-client.js';
import { globals, USAGE } from './command.js';

// Where `keyline vendor` finds its server and operator token: flags, the environment, or what `vendor login` stored.

interface Stored {
  server?: string;
  token?: string;
}

export const DEFAULT_CONFIG = path.join(os.homedir(), '.config', 'keyline', 'vendor.json');

async function readStored(file: string): Promise<Stored> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ApiError(null, 'config_unreadable', `${file}: ${(err as Error).message}`);
  }
}

/** The token is a credential: the file is written for its owner only. */
export async function writeStored(file: string, stored: Required<Stored>): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
}

/** Flags first, then the environment, then what `vendor login` stored. */
export async function connect(cmd: Command): Promise<ApiClient> {
  const g = globals(cmd);
  const stored = await readStored(g.config);
  const server = g.server ?? process.env['KEYLINE_URL'] ?? stored.server;
  const token = g.token ?? process.env['KEYLINE_TOKEN'] ?? stored.token;
  if (!server || !token) return cmd.error('not signed in: run `keyline vendor login --server URL --email EMAIL`, or pass --server and --token', { exitCode: USAGE });
  return apiClient(server, token);
}
