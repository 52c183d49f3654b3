import { describe, expect, it } from 'vitest';
import { refusal } from '../../src/domain/activation-rules.js';
import { AppError } from '../../src/domain/errors.js';

describe('refusals', () => {
  it('answer with their code, a message a person can act on, and what they name', () => {
    const refused = refusal('quota_exhausted', { limit: 'key' });
    expect(refused).toBeInstanceOf(AppError);
    expect([refused.code, refused.message, refused.details]).toEqual(['quota_exhausted', 'All seats of this license key are in use', { limit: 'key' }]);
    expect(refusal('key_not_registered').message).toBe('This license key is not registered yet: register it in the customer portal first');
  });
});
