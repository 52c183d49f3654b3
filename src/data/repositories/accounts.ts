import type { Account, AccountKind } from '../schema.js';
import type { Executor } from './users.js';

export interface CompanyDetails {
  name: string;
  street: string;
  city: string;
  country: string;
  state: string | null;
  zip: string;
  phone: string;
}

export function insertAccount(
  db: Executor,
  a: { kind: AccountKind; name: string; supportCode: string; ownerUserId: string | null; company?: CompanyDetails },
): Promise<Account> {
  return db
    .insertInto('accounts')
    .values({
      kind: a.kind,
      name: a.company?.name ?? a.name,
      street: a.company?.street ?? null,
      city: a.company?.city ?? null,
      country: a.company?.country ?? null,
      state: a.company?.state ?? null,
      zip: a.company?.zip ?? null,
      phone: a.company?.phone ?? null,
      support_code: a.supportCode,
      owner_user_id: a.ownerUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function supportCodeExists(db: Executor, code: string): Promise<boolean> {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('support_code', '=', code)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function findAccount(db: Executor, accountId: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
}

export function updateAccount(db: Executor, accountId: string, changes: Partial<CompanyDetails>, now: Date): Promise<Account> {
  return db
    .updateTable('accounts')
    .set({ ...changes, updated_at: now })
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every account a user belongs to, blocked ones included (the switcher shows them as blocked). */
export function listAccountsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select([
      'accounts.id',
      'accounts.kind',
      'accounts.name',
      'accounts.support_code',
      'memberships.role',
      'memberships.status',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('accounts.kind', 'desc')
    .orderBy('accounts.name')
    .execute();
}

export function findPersonalAccount(db: Executor, userId: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('owner_user_id', '=', userId)
    .where('kind', '=', 'personal')
    .executeTakeFirst();
}
