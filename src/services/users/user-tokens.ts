import { insertUserToken, retireUserTokens } from '../../data/repositories/user-tokens.js';
import type { Executor } from '../../data/executor.js';
import type { UserTokenPurpose } from '../../data/schema.js';
import { addSeconds } from '../../domain/clock.js';
import { hashSecret, newSecret } from '../security/secrets.js';

export const USER_TOKEN_LIFETIME_SECONDS: Record<UserTokenPurpose, number> = {
  verify_email: 48 * 3600,
  reset_password: 30 * 60,
};

/** Issues a single-use emailed token (older ones of the same purpose stop working) and returns the secret. */
export async function issueUserToken(trx: Executor, userId: string, purpose: UserTokenPurpose, now: Date): Promise<string> {
  await retireUserTokens(trx, userId, purpose, now);
  const secret = newSecret(purpose === 'verify_email' ? 'kv' : 'kr');
  await insertUserToken(trx, {
    userId,
    purpose,
    tokenHash: hashSecret(secret),
    expiresAt: addSeconds(now, USER_TOKEN_LIFETIME_SECONDS[purpose]),
    now,
  });
  return secret;
}
