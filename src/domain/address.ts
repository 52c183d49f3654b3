import iso3166 from 'iso-3166-2';

/**
 * Countries whose postal addresses name a state or province: there a business address must
 * carry one. Elsewhere a state is optional but, when given, must be a real subdivision.
 */
const COUNTRIES_REQUIRING_STATE = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'IN']);

export interface AddressProblem {
  field: 'country' | 'state';
  message: string;
}

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && iso3166.country(code) !== null && iso3166.country(code) !== undefined;
}

/** Normalizes a state given as "CA" or "US-CA" to its ISO 3166-2 code, or null when unknown. */
export function normalizeState(country: string, state: string): string | null {
  const info = iso3166.country(country);
  if (!info) return null;
  const upper = state.trim().toUpperCase();
  const code = upper.startsWith(`${country}-`) ? upper : `${country}-${upper}`;
  return code in info.sub ? code : null;
}

export function checkCountryAndState(
  country: string,
  state: string | null | undefined,
): { ok: true; state: string | null } | { ok: false; problem: AddressProblem } {
  if (!isCountryCode(country)) {
    return { ok: false, problem: { field: 'country', message: `"${country}" is not an ISO 3166-1 alpha-2 country code` } };
  }
  if (state === null || state === undefined || state.trim() === '') {
    if (COUNTRIES_REQUIRING_STATE.has(country)) {
      return { ok: false, problem: { field: 'state', message: `a state or province is required for country ${country}` } };
    }
    return { ok: true, state: null };
  }
  const normalized = normalizeState(country, state);
  if (!normalized) {
    return { ok: false, problem: { field: 'state', message: `"${state}" is not a subdivision of ${country}` } };
  }
  return { ok: true, state: normalized };
}

export function stateRequired(country: string): boolean {
  return COUNTRIES_REQUIRING_STATE.has(country);
}
