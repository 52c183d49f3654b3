import { describe, expect, it } from 'vitest';
import { appliedState } from '../../../src/domain/configuration-profile.js';

describe('what an installation has applied', () => {
  it('is the current version, an earlier one, or not reported yet', () => {
    expect(appliedState(null, { hash: 'h2' })).toBe('not_reported');
    expect(appliedState('h2', { hash: 'h2' })).toBe('current');
    expect(appliedState('h1', { hash: 'h2' })).toBe('earlier');
  });
});
