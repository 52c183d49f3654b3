import type { Executor } from '../data/executor.js';
import type { Actor } from '../domain/actor.js';
import { authorizeAccount } from './account-policy.js';
import { requireOperator } from './vendor-policy.js';

/** Whose webhook endpoints a call is about: an account's, or the vendor's own (which hear every account). */
export type WebhookOwner = { accountId: string } | 'vendor';

/**
 * Account administrators manage their account's endpoints; operators the vendor's. Returns the
 * owner as the endpoints' rows name it: the account's id, or null for the vendor.
 */
export async function authorizeWebhooks(db: Executor, actor: Actor, owner: WebhookOwner): Promise<string | null> {
  if (owner === 'vendor') {
    requireOperator(actor);
    return null;
  }
  await authorizeAccount(db, actor, owner.accountId, 'webhooks.manage');
  return owner.accountId;
}
