import { describe, expect, it } from 'vitest';
import { MAX_EMAIL_ATTEMPTS, retryDelaySeconds } from '../../../src/jobs/outbox-worker.js';

describe('email retry schedule', () => {
  it('waits 10 seconds after the first failure, doubling up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(12)).toBe(3600);
    expect(retryDelaySeconds(MAX_EMAIL_ATTEMPTS)).toBe(3600);
  });

  it('keeps trying for a day before giving a message up, but not for days', () => {
    // After attempt n fails (n < MAX) the next one waits retryDelaySeconds(n); the last failure gives up.
    let waited = 0;
    for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt++) waited += retryDelaySeconds(attempt);
    expect(waited).toBeGreaterThanOrEqual(24 * 3600);
    expect(waited).toBeLessThan(48 * 3600);
  });
});
