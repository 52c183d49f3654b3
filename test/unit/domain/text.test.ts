import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnstorableText, unstorableBecause } from '../../../src/domain/text.js';

describe('storable text', () => {
  it('is any well-formed text without a NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(unstorableBecause(s.replaceAll('\u0000', ''))).toBeNull();
      }),
    );;
  });

  it.each(['\u0000', '\ud800', '\udfff', 'a\udc00\ud800b'])('is never text with %j', (bad) => {
    expect(unstorableBecause(`ok${bad}ok`)).toMatch(/cannot be stored/);
  });

  it('is found wherever it is in a value, keys included, by its path', () => {
    expect(findUnstorableText({ a: [1, { b: 'x' }, { c: 'y\u0000' }] })?.path).toEqual(['a', 2, 'c']);
    expect(findUnstorableText({ a: { 'k\ud800': 1 } })?.path).toEqual(['a', 'k\ud800']);
    expect(findUnstorableText({ a: [true, null, 3, 'fine'] })).toBeNull();
  });

  it('is looked for in values nested deeper than the call stack goes', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}"\\u0000"${']'.repeat(200_000)}`);
    expect(findUnstorableText(deep)?.path).toHaveLength(200_000);
  });
});
