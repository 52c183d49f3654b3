import { insertAccount, supportCodeExists, type CompanyDetails } from '../../data/repositories/accounts.js';
import { insertMembership } from '../../data/repositories/memberships.js';
import type { Executor } from '../../data/executor.js';
import type { Account } from '../../data/schema.js';
import { formatSupportCode } from '../../domain/support-code.js';
import { randomDigits } from '../security/secrets.js';

async function newSupportCode(trx: Executor): Promise<string> {
  // Ten random digits make a collision rare; check anyway so a code is never shared.
  for (;;) {
    const code = formatSupportCode(randomDigits(10));
    if (!(await supportCodeExists(trx, code))) return code;
  }
}

/** Inserts an account with its first administrator; the caller owns the transaction and the audit entry. */
export async function insertAccountWithAdmin(
  trx: Executor,
  a: { kind: 'personal'; name: string; adminUserId: string } | { kind: 'business'; company: CompanyDetails; adminUserId: string },
): Promise<Account> {
  const supportCode = await newSupportCode(trx);
  const account =
    a.kind === 'personal'
      ? await insertAccount(trx, { kind: 'personal', name: a.name, supportCode, ownerUserId: a.adminUserId })
      : await insertAccount(trx, { kind: 'business', name: a.company.name, supportCode, ownerUserId: null, company: a.company });
  await insertMembership(trx, { accountId: account.id, userId: a.adminUserId, role: 'admin' });
  return account;
}
