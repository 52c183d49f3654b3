import { sql } from 'kysely';
import type { Membership } from '../schema.js';
import type { Executor, InTransaction } from '../executor.js';
import type { MemberRole, MemberStatus } from '../../domain/membership.js';

export function insertMembership(db: Executor, m: { accountId: string; userId: string; role: MemberRole }) {
  return db
    .insertInto('memberships')
    .values({ account_id: m.accountId, user_id: m.userId, role: m.role })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findMembership(db: Executor, accountId: string, userId: string): Promise<Membership | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The account's administrator rows, locked: last-administrator checks run against a stable set. */
export function lockAccountAdmins(db: InTransaction, accountId: string) {
  return db
    .selectFrom('memberships')
    .select(['user_id', 'status'])
    .where('account_id', '=', accountId)
    .where('role', '=', 'admin')
    .forUpdate()
    .execute();
}

export function updateMembership(
  db: Executor,
  accountId: string,
  userId: string,
  changes: Partial<{ role: MemberRole; status: MemberStatus; notes: string }>,
  now: Date,
) {
  return db
    .updateTable('memberships')
    .set({ ...changes, updated_at: now })
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteMembership(db: Executor, accountId: string, userId: string) {
  return db.deleteFrom('memberships').where('account_id', '=', accountId).where('user_id', '=', userId).execute();
}

export interface MemberListFilter {
  role?: MemberRole | undefined;
  status?: MemberStatus | undefined;
  search?: string | undefined;
  after?: { email: string; userId: string } | undefined;
  limit: number;
}

/** A member as the portal shows one: the membership with the person's name and email. */
function members(db: Executor, accountId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as user_id',
      'users.email',
      'users.first_name',
      'users.last_name',
      'memberships.role',
      'memberships.status',
      'memberships.notes',
      'memberships.created_at',
    ])
    .where('memberships.account_id', '=', accountId);
}

export type Member = NonNullable<Awaited<ReturnType<typeof findMember>>>;

export function findMember(db: Executor, accountId: string, userId: string) {
  return members(db, accountId).where('memberships.user_id', '=', userId).executeTakeFirst();
}

/** Which of the given addresses (lower case) already belong to members of the account. */
export async function findMemberEmails(db: Executor, accountId: string, lowerEmails: readonly string[]): Promise<Set<string>> {
  if (lowerEmails.length === 0) return new Set();
  const rows = await members(db, accountId).where(sql<string>`lower(users.email)`, 'in', lowerEmails).execute();
  return new Set(rows.map((r) => r.email.toLowerCase()));
}

/** Members ordered by email, paged by a keyset cursor. */
export function listMembers(db: Executor, accountId: string, f: MemberListFilter) {
  let q = members(db, accountId);
  if (f.role) q = q.where('memberships.role', '=', f.role);
  if (f.status) q = q.where('memberships.status', '=', f.status);
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('users.email', 'ilike', like), eb('users.first_name', 'ilike', like), eb('users.last_name', 'ilike', like)]),
    );
  }
  if (f.after) {
    const after = f.after;
    q = q.where((eb) =>
      eb.or([
        eb('users.email', '>', after.email),
        eb.and([eb('users.email', '=', after.email), eb('users.id', '>', after.userId)]),
      ]),
    );
  }
  return q.orderBy('users.email').orderBy('users.id').limit(f.limit).execute();
}

/** Where the account's notices go: its administrators whose access is not blocked. */
export async function listAdminEmails(db: Executor, accountId: string): Promise<{ email: string; firstName: string }[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.email as email', 'users.first_name as firstName'])
    .where('memberships.account_id', '=', accountId)
    .where('memberships.role', '=', 'admin')
    .where('memberships.status', '=', 'active')
    .orderBy('users.email')
    .execute();
}
