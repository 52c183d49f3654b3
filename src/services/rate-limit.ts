import { hitRateLimit } from '../data/repositories/rate-limits.js';
import { AppError } from '../domain/errors.js';
import type { Deps } from './context.js';

export interface RateLimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Sign-in attempts per client address: enough for a person, too few to guess passwords. */
export const SIGN_IN_PER_ADDRESS: RateLimitRule = { name: 'sign-in', limit: 20, windowSeconds: 600 };
/** Emails a stranger can trigger (reset links) per address. */
export const EMAIL_REQUESTS_PER_ADDRESS: RateLimitRule = { name: 'email-request', limit: 10, windowSeconds: 3600 };

/** Counts one hit and refuses with rate_limited (and the seconds to wait) over the limit. */
export async function enforceRateLimit(deps: Deps, rule: RateLimitRule, subject: string): Promise<void> {
  const now = deps.clock.now();
  const { hits, windowStartedAt } = await hitRateLimit(deps.db, `${rule.name}:${subject}`, now, rule.windowSeconds);
  if (hits > rule.limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStartedAt.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000));
    throw new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds: retryAfter });
  }
}
