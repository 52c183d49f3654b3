import { hitRateLimit, peekRateLimit } from '../data/repositories/rate-limits.js';
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

/**
 * Licensed products activating with keys or codes that are malformed, mistyped or unknown, per
 * client address: stops key guessing, while good keys (and a full quota) never count.
 */
export const ACTIVATION_GUESSES_PER_ADDRESS: RateLimitRule = { name: 'activation-guess', limit: 30, windowSeconds: 600 };
/** Trials started from one client address a day: a lab installs a few machines, not thousands. */
export const TRIALS_PER_ADDRESS: RateLimitRule = { name: 'trial', limit: 20, windowSeconds: 86_400 };
/** Activations per license key, so one leaked key cannot keep the server busy (limit: KEYLINE_ACTIVATIONS_PER_KEY). */
export const ACTIVATIONS_PER_KEY: RateLimitRule = { name: 'activation-key', limit: 600, windowSeconds: 600 };

function refuse(rule: RateLimitRule, windowStartedAt: Date, now: Date): never {
  const retryAfter = Math.max(1, Math.ceil((windowStartedAt.getTime() + rule.windowSeconds * 1000 - now.getTime()) / 1000));
  throw new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds: retryAfter });
}

/** Counts one hit and refuses with rate_limited (and the seconds to wait) over the limit. */
export async function enforceRateLimit(deps: Deps, rule: RateLimitRule, subject: string): Promise<void> {
  const now = deps.clock.now();
  const { hits, windowStartedAt } = await hitRateLimit(deps.relaxedDb, `${rule.name}:${subject}`, now, rule.windowSeconds);
  if (hits > rule.limit) refuse(rule, windowStartedAt, now);
}

/** Refuses once the limit is used up, without counting this request. */
export async function refuseWhenLimited(deps: Deps, rule: RateLimitRule, subject: string): Promise<void> {
  const now = deps.clock.now();
  const { hits, windowStartedAt } = await peekRateLimit(deps.relaxedDb, `${rule.name}:${subject}`, now, rule.windowSeconds);
  if (hits >= rule.limit) refuse(rule, windowStartedAt, now);
}
