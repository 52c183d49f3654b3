import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_PATTERN } from '../../../src/domain/phone.js';

const SEPARATORS = [' ', '(', ')', '.', '/', '-'];
const phoneChar = fc.constantFrom(...'0123456789', ...SEPARATORS);
const phoneBody = (minLength: number, maxLength: number) => fc.array(phoneChar, { minLength, maxLength }).map((cs) => cs.join(''));
const accepted = (s: string) => PHONE_PATTERN.test(s);

describe('a phone number', () => {
  it.each(['+1 (555) 123-4567', '+49 30 1234.5678', '030/123456', '(0)30-12 34 56', '12345', '+12345', '555.123.4567', '1'.repeat(30), `+${'1'.repeat(30)}`])(
    'may be written %j',
    (phone) => {
      expect(accepted(phone)).toBe(true);
    },
  );

  it('is digits and the usual separators, 5 to 30 of them with a digit among them, after an optional +', () => {
    fc.assert(
      fc.property(fc.boolean(), phoneBody(5, 30).filter((body) => /\d/.test(body)), (plus, body) => {
        expect(accepted(`${plus ? '+' : ''}${body}`)).toBe(true);
      }),
    );
  });

  it.each(['1234', '+1234', '', '+', '1'.repeat(31), `+${'1'.repeat(31)}`])('is never too short or too long: %j', (phone) => {
    expect(accepted(phone)).toBe(false);
  });

  it('is refused shorter than 5 or longer than 30 characters after the +', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.oneof(phoneBody(0, 4), phoneBody(31, 60)), (plus, body) => {
        expect(accepted(`${plus ? '+' : ''}${body}`)).toBe(false);
      }),
    );
  });

  it.each(['++4930123456', '49+30123456', '030123456+', '555-CALL-NOW', '030 123456 ext 12', '030_123456', '030,123456', '030#123456', '030\t123456', '+٤٩٣٠١٢٣٤٥'])(
    'holds nothing else: %j',
    (phone) => {
      expect(accepted(phone)).toBe(false);
    },
  );

  it('is refused with any other character anywhere, a line break at either end included', () => {
    const other = fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }).filter((c) => !'0123456789 ()./-'.includes(c));
    fc.assert(
      fc.property(phoneBody(5, 29), other, fc.nat(29), (body, c, at) => {
        const i = Math.min(at, body.length);
        const phone = body.slice(0, i) + c + body.slice(i);
        // A + is only allowed first.
        if (c === '+' && i === 0) return;
        expect(accepted(phone)).toBe(false);
      }),
    );
    expect(accepted('030123456\n')).toBe(false);
    expect(accepted('\n030123456')).toBe(false);
  });
});

it.each(['-----', '(((((', '. . .', '/////', '+() ()', '+-----'])('a phone number has digits, so %j is not one', (phone) => {
  expect(PHONE_PATTERN.test(phone)).toBe(false);
});
