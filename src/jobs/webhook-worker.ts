import { claimDueDeliveries, purgeDeliveries } from '../data/repositories/webhooks.js';
import { addDays } from '../domain/clock.js';
import type { Deps } from '../services/context.js';
import { deliverWebhook } from '../services/webhooks/deliver.js';
import { startPeriodicJob, type PeriodicJob } from './periodic.js';

/** Deliveries in flight at once in one process. */
const CONCURRENCY = 16;
/** A claim outlasts the slowest attempt; past it, a crashed worker's delivery is tried again. */
const leaseSecondsOf = (deps: Deps) => Math.ceil(deps.config.webhooks.timeoutMs / 1000) + 60;
/** The delivery log keeps a month. */
export const DELIVERY_LOG_DAYS = 30;

/**
 * Sends what is due, once, and waits for every attempt: the oldest due delivery of each endpoint.
 * Safe with several processes (claims with SKIP LOCKED and a lease). Returns how many it sent.
 */
export async function deliverDueWebhooks(deps: Deps, limit = CONCURRENCY): Promise<number> {
  const claimed = await claimDueDeliveries(deps.db, { now: deps.clock.now(), limit, leaseSeconds: leaseSecondsOf(deps), busy: [] });
  await Promise.all(claimed.map((d) => deliverWebhook(deps, d)));
  return claimed.length;
}

/**
 * The worker: up to CONCURRENCY attempts in flight, at most one per endpoint, and a free place
 * is filled as soon as an attempt ends, so a receiver that hangs until the timeout holds one
 * place and delays nobody else's deliveries. It looks for due ones every `intervalMs` besides.
 */
export function startWebhookWorker(deps: Deps, intervalMs = 1000): PeriodicJob {
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  const claimAndSend = async (): Promise<void> => {
    const free = CONCURRENCY - inFlight.size;
    if (stopped || free <= 0) return;
    const claimed = await claimDueDeliveries(deps.db, { now: deps.clock.now(), limit: free, leaseSeconds: leaseSecondsOf(deps), busy: [...inFlight.keys()] });
    for (const d of claimed) {
      const sending = deliverWebhook(deps, d).then(
        () => undefined,
        (err: unknown) => deps.log.warn({ err: String(err), deliveryId: d.id }, 'webhook outcome not recorded; the delivery is tried again after its lease'),
      );
      inFlight.set(
        d.endpoint_id,
        sending.finally(() => {
          inFlight.delete(d.endpoint_id);
          fill().catch((err: unknown) => deps.log.warn({ err: String(err) }, 'webhook claim failed'));
        }),
      );
    }
  };
  // One claim at a time, so the places and the busy endpoints it counts are those of every claim
  // before it; a request to fill while one runs is served right after it.
  let filling: Promise<void> | null = null;
  let again = false;
  const fill = (): Promise<void> => {
    if (filling) {
      again = true;
      return filling;
    }
    filling = (async () => {
      do {
        again = false;
        await claimAndSend();
      } while (again && !stopped);
    })().finally(() => (filling = null));
    return filling;
  };
  const job = startPeriodicJob(deps, 'webhooks', intervalMs, fill);
  return {
    async stop() {
      stopped = true;
      await job.stop();
      await Promise.all(inFlight.values());
    },
  };
}

/** Forgets settled deliveries older than the log keeps, a batch at a time. */
export async function purgeWebhookLog(deps: Deps): Promise<number> {
  const batch = 1000;
  for (let purged = 0; ; ) {
    const n = await purgeDeliveries(deps.db, addDays(deps.clock.now(), -DELIVERY_LOG_DAYS), batch);
    purged += n;
    if (n < batch) return purged;
  }
}
