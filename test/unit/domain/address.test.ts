import { describe, expect, it } from 'vitest';
import { checkCountryAndState, isCountryCode, normalizeState } from '../../../src/domain/address.js';

describe('country and state rules', () => {
  it.each(['DE', 'US', 'JP', 'BR'])('knows %s', (c) => expect(isCountryCode(c)).toBe(true));
  it.each(['XX', 'de', 'USA', '', 'U1'])('rejects %j', (c) => expect(isCountryCode(c)).toBe(false));

  it('requires a state where addresses carry one', () => {
    expect(checkCountryAndState('US', null)).toMatchObject({ ok: false, problem: { field: 'state' } });
    expect(checkCountryAndState('CA', '')).toMatchObject({ ok: false, problem: { field: 'state' } });
    expect(checkCountryAndState('DE', null)).toEqual({ ok: true, state: null });
  });

  it('normalizes short and full subdivision codes', () => {
    expect(normalizeState('US', 'ca')).toBe('US-CA');
    expect(normalizeState('US', 'US-NY')).toBe('US-NY');
    expect(normalizeState('US', 'ZZ')).toBeNull();
    expect(checkCountryAndState('DE', 'BE')).toEqual({ ok: true, state: 'DE-BE' });
  });

  it('rejects a state of another country', () => {
    expect(checkCountryAndState('DE', 'CA')).toMatchObject({ ok: false, problem: { field: 'state' } });
  });
});
