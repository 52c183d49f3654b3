import { lockAcrossProcesses } from '../../data/repositories/process-locks.js';
import { countOperators, insertUser } from '../../data/repositories/users.js';
import { insertAccountWithAdmin } from '../accounts/create-account.js';
import type { Deps } from '../context.js';
import { hashPassword } from '../security/passwords.js';
import { newSecret } from '../security/secrets.js';
import { runTransaction } from '../../data/transactions.js';

export const FIRST_OPERATOR_EMAIL = 'operator@keyline.local';

/**
 * On a database with no vendor operator, creates one with a random password and returns the
 * credentials so the server can print them once; afterwards it returns null.
 */
export async function bootstrapOperator(deps: Deps): Promise<{ email: string; password: string } | null> {
  if ((await countOperators(deps.db)) > 0) return null;
  const password = newSecret('op', 12).slice(3);
  const passwordHash = await hashPassword(password);
  return runTransaction(deps.db, async (trx) => {
    // Processes started together on a new database all get here; the first one makes the operator.
    await lockAcrossProcesses(trx, 'first_operator');
    if ((await countOperators(trx)) > 0) return null;
    const now = deps.clock.now();
    const user = await insertUser(trx, {
      email: FIRST_OPERATOR_EMAIL,
      firstName: 'Vendor',
      lastName: 'Operator',
      passwordHash,
      verifiedAt: now,
      isOperator: true,
    });
    await insertAccountWithAdmin(trx, { kind: 'personal', name: 'Vendor Operator', adminUserId: user.id });
    return { email: FIRST_OPERATOR_EMAIL, password };
  });
}
