import { signedInUser, type TestApp } from './harness.js';

/** A signed-in vendor operator: a user made operator in the database, as `keyline serve` bootstraps one. */
export async function signedInOperator(t: TestApp) {
  const user = await signedInUser(t, 'operator');
  await t.deps.db.updateTable('users').set({ is_operator: true }).where('id', '=', user.userId).execute();
  return user;
}
