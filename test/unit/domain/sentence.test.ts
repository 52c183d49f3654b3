import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endSentence } from '../../../src/domain/sentence.js';

describe('ending a sentence', () => {
  it.each([
    ['The members of Acme Widgets', 'The members of Acme Widgets.'],
    ['The members of Acme Widgets Inc.', 'The members of Acme Widgets Inc.'],
    ['Offline activation is not enabled for Yahoo!', 'Offline activation is not enabled for Yahoo!'],
    ['Who manages Berlin?', 'Who manages Berlin?'],
    ['Wait…', 'Wait…'],
    ['Kim no longer manages "Berlin Inc."', 'Kim no longer manages "Berlin Inc."'],
    ['Sold to (Acme Co.)', 'Sold to (Acme Co.)'],
    ['Trailing space Inc. ', 'Trailing space Inc.'],
    ['A name in "quotes"', 'A name in "quotes".'],
    ['Version 1.2', 'Version 1.2.'],
  ])('%j reads %j', (text, sentence) => {
    expect(endSentence(text)).toBe(sentence);
  });

  it('keeps the words, ends with a mark, and never doubles a period the text did not', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('', '.', '!', '?', '.)', '."', ' '), (s, end) => {
        const text = (s + end).trimEnd();
        const sentence = endSentence(s + end);
        expect([text, `${text}.`]).toContain(sentence);
        expect(sentence).toMatch(/[.!?…][)\]"'»”’]*$/u);
        if (!text.endsWith('..')) expect(sentence).not.toMatch(/\.\.$/);
      }),
    );
  });
});
