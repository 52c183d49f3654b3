import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import type { User } from '../schema.js';

export function findUserByEmail(db: Executor, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findUserById(db: Executor, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockUserRow(db: InTransaction, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertUser(
  db: Executor,
  user: { email: string; firstName: string; lastName: string; passwordHash: string; verifiedAt?: Date | null; isOperator?: boolean },
): Promise<User> {
  return db
    .insertInto('users')
    .values({
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      password_hash: user.passwordHash,
      email_verified_at: user.verifiedAt ?? null,
      is_operator: user.isOperator ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUser(
  db: Executor,
  id: string,
  changes: Partial<{
    first_name: string;
    last_name: string;
    password_hash: string;
    email_verified_at: Date | null;
    failed_sign_ins: number;
    locked_until: Date | null;
  }>,
  now: Date,
): Promise<User> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts a failed sign-in and locks the user when the count reaches the threshold, in one statement. */
export async function recordFailedSignIn(
  db: Executor,
  id: string,
  threshold: number,
  lockUntil: Date,
): Promise<{ failed_sign_ins: number; locked_until: Date | null }> {
  return db
    .updateTable('users')
    .set({
      failed_sign_ins: sql`failed_sign_ins + 1`,
      locked_until: sql`CASE WHEN failed_sign_ins + 1 >= ${threshold} THEN ${lockUntil}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', id)
    .returning(['failed_sign_ins', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export function countOperators(db: Executor): Promise<number> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_operator', '=', true)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** Every vendor operator's address: whom the vendor's own notices (a webhook endpoint disabled) go to. */
export function listOperatorEmails(db: Executor): Promise<{ email: string; firstName: string }[]> {
  return db.selectFrom('users').select(['email', 'first_name as firstName']).where('is_operator', '=', true).orderBy('email').execute();
}
