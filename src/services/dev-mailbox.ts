import { findOutboxMessage, listOutbox } from '../data/repositories/outbox.js';
import { notFound } from '../domain/errors.js';
import type { Deps } from './context.js';

/** Where a dev mailbox request comes from. */
export interface MailboxCaller {
  ip: string;
  /** The request passed through a proxy, so the address seen is the proxy's, not the caller's. */
  proxied: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Without an SMTP server the outbox is the only place a developer finds their confirmation link.
 * It is shown to this machine only: a server reachable over a network, or behind a local
 * reverse proxy, must not hand out everyone's mail.
 */
function ensureLocal(caller: MailboxCaller) {
  if (caller.proxied || !LOOPBACK.has(caller.ip)) throw notFound('Dev mailbox');
}

export async function listDevMailbox(deps: Deps, caller: MailboxCaller, query: { to?: string | undefined; limit: number }) {
  ensureLocal(caller);
  return listOutbox(deps.db, query);
}

export async function getDevMailboxMessage(deps: Deps, caller: MailboxCaller, id: string) {
  ensureLocal(caller);
  const message = await findOutboxMessage(deps.db, id);
  if (!message) throw notFound('Message');
  return message;
}
