import { describe, expect, it } from 'vitest';
import { formatSupportCode, SUPPORT_CODE_PATTERN } from '../../../src/domain/support-code.js';

describe('support codes', () => {
  it('formats ten digits as two groups of five', () => {
    expect(formatSupportCode([1, 9, 2, 4, 0, 4, 1, 1, 4, 0])).toBe('19240-41140');
    expect(SUPPORT_CODE_PATTERN.test('19240-41140')).toBe(true);
  });
  it.each([[[1, 2, 3]], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], [[1, 2, 3, 4, 5, 6, 7, 8, 9, -1]], [[0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]]])(
    'refuses %j',
    (digits) => expect(() => formatSupportCode(digits)).toThrow(RangeError),
  );
});
