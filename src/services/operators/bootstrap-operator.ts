import { lockAcrossProcesses } from '../../data/repositories/process-locks.js';
import { countOperators } from '../../data/repositories/users.js';
import type { Deps } from '../context.js';
import { hashPassword } from '../security/passwords.js';
import { insertOperator, newOperatorPassword } from './manage-operators.js';
import { runTransaction } from '../../data/transactions.js';

export const FIRST_OPERATOR_EMAIL = 'operator@keyline.local';

/**
 * On a database with no vendor operator, creates one with a random password and returns the
 * credentials so the server can print them once; afterwards it returns null.
 */
export async function bootstrapOperator(deps: Deps): Promise<{ email: string; password: string } | null> {
  if ((await countOperators(deps.db)) > 0) return null;
  const password = newOperatorPassword();
  const passwordHash = await hashPassword(password);
  return runTransaction(deps.db, async (trx) => {
    // Processes started together on a new database all get here; the first one makes the operator.
    await lockAcrossProcesses(trx, 'first_operator');
    if ((await countOperators(trx)) > 0) return null;
    await insertOperator(trx, { email: FIRST_OPERATOR_EMAIL, firstName: 'Vendor', lastName: 'Operator', passwordHash }, deps.clock.now());
    return { email: FIRST_OPERATOR_EMAIL, password };
  });
}
