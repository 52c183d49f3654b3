import { listOrders, type OrderRow } from '../../data/repositories/orders.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { keysetPage, type Page } from '../paging.js';

/** Orders of every customer, or of one subscription, newest first; `next` is the number to continue below. */
export function listAllOrders(
  deps: Deps,
  actor: Actor,
  q: { subscriptionId?: string | undefined; beforeNumber?: number | undefined; limit: number },
): Promise<Page<OrderRow, number>> {
  requireOperator(actor);
  return keysetPage(q.limit, (limit) => listOrders(deps.db, { ...q, limit }), (last) => last.number);
}
