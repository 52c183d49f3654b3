import { SUPPORT_CODE_PATTERN } from './support-code.js';

/**
 * The rules of activation with a corporate account that need no I/O: which account a person means,
 * who the identity provider says they are, whether their address may sign in, and how a device's
 * sign-in in progress (RFC 8628) answers the machine that polls it.
 */

/** How long a device has to finish signing in, and how often it may ask (RFC 8628 §3.2, §3.5). */
export const DEVICE_GRANT_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
/** Added to the interval each time a device asks too soon (RFC 8628 §3.5). */
export const SLOW_DOWN_SECONDS = 5;

const DOMAIN_PATTERN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** A domain as an allowed-domains list keeps it (lower case, no trailing dot), or null when it is not one. */
export function normalizeDomain(text: string): string | null {
  const domain = text.trim().toLowerCase().replace(/\.$/, '');
  return DOMAIN_PATTERN.test(domain) ? domain : null;
}

/** Which account `--account` names: its support code, or one of its allowed email domains. */
export type AccountReference = { kind: 'support_code'; code: string } | { kind: 'domain'; domain: string };

export function parseAccountReference(text: string): AccountReference | null {
  const trimmed = text.trim();
  if (SUPPORT_CODE_PATTERN.test(trimmed)) return { kind: 'support_code', code: trimmed };
  const domain = normalizeDomain(trimmed.includes('@') ? trimmed.slice(trimmed.lastIndexOf('@') + 1) : trimmed);
  return domain ? { kind: 'domain', domain } : null;
}

/** The part after the last @, lower case; null for text that is not an address. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  return normalizeDomain(email.slice(at + 1));
}

export const domainAllowed = (email: string, allowed: readonly string[]) => {
  const domain = emailDomain(email);
  return domain !== null && allowed.includes(domain);
};

/** A person as the identity provider's ID token names them. */
export interface SignedInIdentity {
  subject: string;
  /** The address the allowed-domains rule reads. */
  email: string | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  /** The groups claim's values; null when the provider sent no such claim. */
  groups: string[] | null;
  /**
   * Entra ID leaves the groups out of the token when a person is in more than 200 (it sends
   * `_claim_names.groups` instead): their groups are then unknown, not empty.
   */
  groupsOverage: boolean;
}

const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
const looksLikeEmail = (v: string | null) => (v !== null && emailDomain(v) !== null ? v : null);

/**
 * Reads the ID token's claims. The address comes from `email`, or, where a provider sends none
 * (Entra ID without the optional claim), from `preferred_username` or `upn` when those are
 * addresses. Groups come from the claim the administrator named, as strings.
 */
export function identityFromClaims(claims: Record<string, unknown>, groupsClaim: string | null): SignedInIdentity | null {
  const subject = text(claims.sub);
  if (!subject) return null;
  const email = looksLikeEmail(text(claims.email)) ?? looksLikeEmail(text(claims.preferred_username)) ?? looksLikeEmail(text(claims.upn));
  const raw = groupsClaim ? claims[groupsClaim] : undefined;
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : null;
  const claimNames = claims._claim_names as Record<string, unknown> | undefined;
  return {
    subject,
    email: email?.toLowerCase() ?? null,
    name: text(claims.name),
    givenName: text(claims.given_name),
    familyName: text(claims.family_name),
    groups,
    groupsOverage: groups === null && groupsClaim !== null && typeof claimNames === 'object' && claimNames !== null && groupsClaim in claimNames,
  };
}

// RFC 8628 §6.1: consonants only (no words, no 0/O or 1/I), upper case, eight of them.
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

/** A user code from eight random values (0..255), shown as "BCDF-GHJK". */
export function formatUserCode(bytes: Uint8Array): string {
  if (bytes.length !== 8) throw new RangeError('a user code takes eight random bytes');
  const letters = [...bytes].map((b) => USER_CODE_LETTERS[b % USER_CODE_LETTERS.length]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** What a person typed, as the stored code, or null: case, spaces and dashes do not matter. */
export function parseUserCode(typed: string): string | null {
  const letters = typed.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== 8 || [...letters].some((c) => !USER_CODE_LETTERS.includes(c))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export interface GrantFacts {
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  expiresAt: Date;
  intervalSeconds: number;
  /** When the device asked before this time; null on its first poll. */
  previousPollAt: Date | null;
  consumedFingerprint: string | null;
}

/** How a device's poll is answered (RFC 8628 §3.5): keep waiting, wait longer, give up, or go on. */
export type PollVerdict = 'pending' | 'slow_down' | 'expired' | 'denied' | 'used' | 'approved';

export function pollVerdict(g: GrantFacts, fingerprint: string, now: Date): PollVerdict {
  // The machine that used the grant may ask again (a lost answer): it gets its installation back.
  if (g.status === 'consumed') return g.consumedFingerprint === fingerprint ? 'approved' : 'used';
  if (g.expiresAt <= now) return 'expired';
  if (g.status === 'denied') return 'denied';
  if (g.status === 'approved') return 'approved';
  if (g.previousPollAt && now.getTime() - g.previousPollAt.getTime() < g.intervalSeconds * 1000) return 'slow_down';
  return 'pending';
}
