import { sql } from 'kysely';
import type { InTransaction } from '../../src/data/executor.js';
import { ACME, signedInUser, type ApiClient, type TestApp } from './harness.js';

/** A signed-in user who has just created a business account and is its only administrator. */
export async function businessAdmin(t: TestApp, name = 'admin') {
  const admin = await signedInUser(t, name);
  const res = await admin.client.post('/api/v1/accounts', ACME);
  if (res.status !== 201) throw new Error(`account creation failed: ${JSON.stringify(res.body)}`);
  return { ...admin, accountId: res.body.account.id as string };
}

/** The token of the newest invitation emailed to an address. */
export async function invitationToken(t: TestApp, email: string): Promise<string> {
  const mail = (await t.emailsTo(email)).find((m) => m.template === 'member_invitation');
  if (!mail) throw new Error(`no invitation emailed to ${email}`);
  return /join\?token=([\w-]+)/.exec(mail.text)![1]!;
}

/** A signed-in user who joined the admin's account through an invitation, with the given role. */
export async function invitedMember(t: TestApp, admin: { client: ApiClient; accountId: string }, name = 'member', role: 'admin' | 'member' = 'member') {
  const member = await signedInUser(t, name);
  const invited = await admin.client.post(`/api/v1/accounts/${admin.accountId}/invitations`, { emails: [member.email], role });
  if (invited.status !== 201 || invited.body.invited.length !== 1) throw new Error(`invitation failed: ${JSON.stringify(invited.body)}`);
  const joined = await member.client.post(`/api/v1/invitations/${await invitationToken(t, member.email)}/accept`, {});
  if (joined.status !== 200) throw new Error(`joining failed: ${JSON.stringify(joined.body)}`);
  return member;
}

/** The audit log of an account, oldest first, as the actions and details an administrator reads. */
export async function auditTrail(t: TestApp, accountId: string) {
  const { rows } = await sql<{ action: string; target_id: string | null; details: Record<string, unknown>; actor_email: string | null }>`
    SELECT action, target_id, details, actor_email FROM audit_events WHERE account_id = ${accountId} ORDER BY id`.execute(t.deps.db);
  return rows;
}

/**
 * Runs requests that truly overlap: the test holds row locks while it starts them and lets go
 * only once every one of them waits on a lock, so each has read what it read before any of them
 * decides. Without the locks under test the requests do not wait and simply race to the end.
 * PostgreSQL only: PGlite is one session and runs transactions one after another.
 */
export function overlapping<T>(t: TestApp, hold: (trx: InTransaction) => Promise<unknown>, start: () => Promise<T>[]): Promise<T[]> {
  return overlappingInTurns(t, hold, [start]);
}

/**
 * Overlapping requests started in turns: each turn starts once every request of the turns before
 * waits on a lock (or has finished), so the test decides who reaches a lock first.
 */
export async function overlappingInTurns<T>(t: TestApp, hold: (trx: InTransaction) => Promise<unknown>, turns: (() => Promise<T>[])[]): Promise<T[]> {
  const { answers } = await t.deps.db.transaction().execute(async (trx) => {
    await hold(trx);
    const requests: Promise<T>[] = [];
    let finished = 0;
    for (const start of turns) {
      for (const request of start()) {
        const tracked = request.finally(() => finished++);
        // Answered in the end by Promise.all; until then a refusal is not an unhandled rejection.
        tracked.catch(() => undefined);
        requests.push(tracked);
      }
      while (finished + (await lockWaiters(t)) < requests.length) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Wrapped, so leaving the transaction (and its locks) does not wait for the answers.
    return { answers: Promise.all(requests) };
  });
  return answers;
}

async function lockWaiters(t: TestApp): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.deps.db);
  return rows[0]!.n;
}
