import { searchAccounts } from '../../data/repositories/accounts.js';
import type { Account } from '../../data/schema.js';
import { requireOperator } from '../../policies/vendor-policy.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { keysetPage, type Page } from '../paging.js';

export type AccountCursor = { name: string; id: string };

/** Customer accounts by name, matched by part of the name, the support code or part of a member's email. */
export function listAllAccounts(deps: Deps, actor: Actor, q: { search?: string | undefined; after?: AccountCursor | undefined; limit: number }): Promise<Page<Account, AccountCursor>> {
  requireOperator(actor);
  return keysetPage(
    q.limit,
    (limit) => searchAccounts(deps.db, { text: q.search, after: q.after, limit }),
    (last) => ({ name: last.name, id: last.id }),
  );
}
