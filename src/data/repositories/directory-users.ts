import { sql } from 'kysely';
import type { Executor, InTransaction } from '../executor.js';
import type { DirectoryUser } from '../schema.js';

/**
 * The directory user a sign-in is, locked: by the provider's subject once they have signed in
 * before, else the one SCIM provisioned with their address as user name or email, who has not
 * signed in yet (their first sign-in links the subject to them).
 */
export async function lockDirectoryUserForSignIn(trx: InTransaction, accountId: string, subject: string, email: string | null): Promise<DirectoryUser | undefined> {
  const bySubject = await trx.selectFrom('directory_users').selectAll().where('account_id', '=', accountId).where('subject', '=', subject).forUpdate().executeTakeFirst();
  if (bySubject || email === null) return bySubject;
  return trx
    .selectFrom('directory_users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('subject', 'is', null)
    .where((eb) => eb.or([eb(sql`lower(user_name)`, '=', email), eb(sql`lower(email)`, '=', email)]))
    .orderBy('created_at')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export interface SignedInPerson {
  subject: string;
  email: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
}

/** Records a sign-in: the directory user as the provider names them now, created on their first sign-in when SCIM has not provisioned them. */
export async function saveSignedInUser(trx: InTransaction, accountId: string, existing: DirectoryUser | undefined, p: SignedInPerson, now: Date): Promise<DirectoryUser> {
  if (existing) {
    return trx
      .updateTable('directory_users')
      .set({
        subject: p.subject,
        email: existing.source === 'scim' ? (existing.email ?? p.email) : p.email,
        display_name: existing.display_name ?? p.displayName,
        given_name: existing.given_name ?? p.givenName,
        family_name: existing.family_name ?? p.familyName,
        updated_at: now,
      })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return trx
    .insertInto('directory_users')
    .values({
      account_id: accountId,
      source: 'sign_in',
      user_name: p.email ?? p.subject,
      subject: p.subject,
      email: p.email,
      display_name: p.displayName,
      given_name: p.givenName,
      family_name: p.familyName,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDirectoryUser(db: Executor, accountId: string, id: string): Promise<DirectoryUser | undefined> {
  return db.selectFrom('directory_users').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}
