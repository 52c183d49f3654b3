import { countAuditEvents, listAuditEvents, type AuditEventRow, type AuditFilter } from '../data/repositories/audit-events.js';
import type { Executor } from '../data/executor.js';
import { AppError } from '../domain/errors.js';
import { authorizeAccount } from '../policies/account-policy.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './context.js';
import { keysetPage, type Page } from './paging.js';

export const AUDIT_EXPORT_MAX_ROWS = 100_000;
const EXPORT_CHUNK = 1000;

/** One page of an account's audit log, newest first; `next` is the id to continue below, null on the last page. */
export async function listAuditLog(
  deps: Deps,
  actor: Actor,
  accountId: string,
  query: AuditFilter & { beforeId?: number | undefined; limit: number },
): Promise<Page<AuditEventRow, number>> {
  await authorizeAccount(deps.db, actor, accountId, 'audit.view');
  return keysetPage(query.limit, (limit) => listAuditEvents(deps.db, accountId, { ...query, limit }), (last) => last.id);
}

/**
 * Every matching event for a download. Access and size are checked before anything is sent, so a
 * refusal is a proper error rather than a truncated file; the rows are then read chunk by chunk.
 */
export async function exportAuditLog(deps: Deps, actor: Actor, accountId: string, filter: AuditFilter): Promise<AsyncIterable<AuditEventRow>> {
  await authorizeAccount(deps.db, actor, accountId, 'audit.view');
  if ((await countAuditEvents(deps.db, accountId, filter, AUDIT_EXPORT_MAX_ROWS + 1)) > AUDIT_EXPORT_MAX_ROWS) {
    throw new AppError('export_too_large', `The export would hold more than ${AUDIT_EXPORT_MAX_ROWS} events; narrow it with from and to`, {
      maxRows: AUDIT_EXPORT_MAX_ROWS,
    });
  }
  return inChunks(deps.db, accountId, filter);
}

async function* inChunks(db: Executor, accountId: string, filter: AuditFilter): AsyncGenerator<AuditEventRow> {
  // Events written between the size check and the first read could pass the cap; it holds regardless.
  let remaining = AUDIT_EXPORT_MAX_ROWS;
  let beforeId: number | undefined;
  while (remaining > 0) {
    const rows = await listAuditEvents(db, accountId, { ...filter, beforeId, limit: Math.min(EXPORT_CHUNK, remaining) });
    yield* rows;
    if (rows.length < EXPORT_CHUNK) return;
    remaining -= rows.length;
    beforeId = rows[rows.length - 1]!.id;
  }
}
