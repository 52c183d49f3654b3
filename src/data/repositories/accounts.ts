import { sql } from 'kysely';
import type { Account } from '../schema.js';
import { containing } from './search.js';
import type { Executor, InTransaction } from '../executor.js';
import type { AccountKind } from '../../domain/membership.js';

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

/** The business account a support code names. */
export function findAccountBySupportCode(db: Executor, code: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('support_code', '=', code).where('kind', '=', 'business').executeTakeFirst();
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
      (eb) =>
        eb
          .selectFrom('key_admins')
          .select((k) => k.fn.countAll<number>().as('n'))
          .whereRef('key_admins.account_id', '=', 'accounts.id')
          .where('key_admins.user_id', '=', userId)
          .as('granted_keys'),
      // What the products the account holds subscriptions of enable: the portal shows their pages.
      sql<string[]>`(SELECT coalesce(jsonb_agg(DISTINCT f.feature ORDER BY f.feature), '[]'::jsonb)
        FROM subscriptions s
        JOIN subscription_items it ON it.subscription_id = s.id
        JOIN products p ON p.code = it.product_code
        CROSS JOIN LATERAL jsonb_array_elements_text(p.features) AS f (feature)
        WHERE s.account_id = accounts.id)`.as('features'),
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

export function setOfflineActivation(db: Executor, accountId: string, enabled: boolean, now: Date): Promise<Account> {
  return db
    .updateTable('accounts')
    .set({ offline_activation_enabled: enabled, updated_at: now })
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function lockAccount(db: InTransaction, accountId: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).forUpdate().executeTakeFirst();
}

/**
 * Accounts of every customer by name, keyset-paged, for the vendor back office: matched by part
 * of the name, the exact support code, or part of a member's email.
 */
export function searchAccounts(db: Executor, f: { text?: string | undefined; after?: { name: string; id: string } | undefined; limit: number }) {
  let q = db.selectFrom('accounts').selectAll();
  if (f.text !== undefined) {
    const text = f.text;
    q = q.where((eb) =>
      eb.or([
        eb('accounts.name', 'ilike', containing(text)),
        eb('accounts.support_code', '=', text),
        eb.exists(
          eb
            .selectFrom('memberships')
            .innerJoin('users', 'users.id', 'memberships.user_id')
            .select('memberships.user_id')
            .whereRef('memberships.account_id', '=', 'accounts.id')
            .where('users.email', 'ilike', containing(text)),
        ),
      ]),
    );
  }
  if (f.after) {
    const { name, id } = f.after;
    q = q.where((eb) => eb.or([eb('accounts.name', '>', name), eb.and([eb('accounts.name', '=', name), eb('accounts.id', '>', id)])]));
  }
  return q.orderBy('accounts.name').orderBy('accounts.id').limit(f.limit).execute();
}
