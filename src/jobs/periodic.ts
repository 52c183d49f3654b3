import { databaseFailure } from '../data/failures.js';
import type { Deps } from '../services/context.js';

export interface PeriodicJob {
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs`, one run at a time, until stopped. The work itself
 * must be safe with several server processes running it (row claims with SKIP LOCKED).
 */
export function startPeriodicJob(deps: Deps, name: string, intervalMs: number, work: () => Promise<unknown>): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      await work();
    } catch (err) {
      // The database away for a moment (a restart) is expected to pass: the next run picks up the work.
      if (databaseFailure(err)) deps.log.warn({ err: String(err), job: name }, 'job run skipped: database unavailable');
      else deps.log.error({ err, job: name }, 'job run failed');
    }
    if (!stopped) timer = setTimeout(() => void (running = run()), intervalMs);
  };
  timer = setTimeout(() => void (running = run()), 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
