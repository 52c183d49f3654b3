import type { Command } from 'commander';
import { ApiError } from '../http-client.js';

// How a `keyline vendor` command runs: its global options, its exit codes, and how it prints the API's answer.

interface GlobalOptions {
  server?: string;
  token?: string;
  config: string;
  json?: boolean;
}

/** The exit code of a command that was itself wrong. */
export const USAGE = 2;

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Runs an action; an API refusal prints its "code: message" line and exits 1. */
export function run(fn: (cmd: Command) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    try {
      await fn(cmd);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      console.error(err.message);
      process.exitCode = 1;
    }
  };
}

/** The API's answer as JSON with --json, else the human rendering. */
export function show(cmd: Command, body: unknown, human: () => string): void {
  console.log(globals(cmd).json ? JSON.stringify(body, null, 2) : human());
}
