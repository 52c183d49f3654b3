import { describe, expect, it } from 'vitest';
import {
  domainAllowed,
  emailDomain,
  formatUserCode,
  identityFromClaims,
  normalizeDomain,
  parseAccountReference,
  parseUserCode,
  pollVerdict,
  type GrantFacts,
} from '../../../src/domain/sso.js';

describe('allowed domains', () => {
  it.each([
    ['Example.COM', 'example.com'],
    [' sub.example.co.uk. ', 'sub.example.co.uk'],
    ['localhost', null],
    ['-bad.example.com', null],
    ['exa mple.com', null],
    ['*.example.com', null],
    ['', null],
  ])('reads %j as %j', (text, domain) => {
    expect(normalizeDomain(text)).toBe(domain);
  });

  it('lets in an address of an allowed domain only, not its subdomains or look-alikes', () => {
    expect(domainAllowed('Ann@Example.com', ['example.com'])).toBe(true);
    expect(domainAllowed('ann@eu.example.com', ['example.com'])).toBe(false);
    expect(domainAllowed('ann@example.com.evil.org', ['example.com'])).toBe(false);
    expect(domainAllowed('not-an-address', ['example.com'])).toBe(false);
    expect(emailDomain('a@b@example.com')).toBe('example.com');
  });
});

describe('which account --account names', () => {
  it('tells a support code from a domain or an address', () => {
    expect(parseAccountReference('19240-41140')).toEqual({ kind: 'support_code', code: '19240-41140' });
    expect(parseAccountReference('Example.com')).toEqual({ kind: 'domain', domain: 'example.com' });
    expect(parseAccountReference('ann@example.com')).toEqual({ kind: 'domain', domain: 'example.com' });
    expect(parseAccountReference('nothing at all')).toBeNull();
  });
});

describe('the identity in an ID token', () => {
  it('reads the address from email, or from preferred_username or upn where a provider sends no email', () => {
    expect(identityFromClaims({ sub: 's1', email: 'Ann@Example.com' }, null)?.email).toBe('ann@example.com');
    expect(identityFromClaims({ sub: 's1', preferred_username: 'ann@example.com' }, null)?.email).toBe('ann@example.com');
    expect(identityFromClaims({ sub: 's1', preferred_username: 'ann', upn: 'ann@example.com' }, null)?.email).toBe('ann@example.com');
    expect(identityFromClaims({ sub: 's1', preferred_username: 'ann' }, null)?.email).toBeNull();
    expect(identityFromClaims({ email: 'ann@example.com' }, null)).toBeNull();
  });

  it('reads the groups claim the administrator named, and knows an Entra ID overage from no groups', () => {
    expect(identityFromClaims({ sub: 's', groups: ['Engineering', 7, 'QA'] }, 'groups')?.groups).toEqual(['Engineering', 'QA']);
    expect(identityFromClaims({ sub: 's', roles: 'admins' }, 'roles')?.groups).toEqual(['admins']);
    expect(identityFromClaims({ sub: 's', groups: ['x'] }, null)?.groups).toBeNull();
    const overage = identityFromClaims({ sub: 's', _claim_names: { groups: 'src1' } }, 'groups')!;
    expect([overage.groups, overage.groupsOverage]).toEqual([null, true]);
    expect(identityFromClaims({ sub: 's' }, 'groups')?.groupsOverage).toBe(false);
  });
});

describe('user codes', () => {
  it('are eight consonants in two groups, read back whatever the case, spaces or dashes', () => {
    const code = formatUserCode(new Uint8Array([0, 1, 2, 3, 19, 20, 255, 100]));
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(parseUserCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    expect(parseUserCode('BCDF-GHJA')).toBeNull();
    expect(parseUserCode('BCDFGHJ')).toBeNull();
    expect(() => formatUserCode(new Uint8Array(7))).toThrow(RangeError);
  });
});

describe('a device polling its sign-in', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const grant = (over: Partial<GrantFacts> = {}): GrantFacts => ({ status: 'pending', expiresAt: at(600), intervalSeconds: 5, previousPollAt: null, consumedFingerprint: null, ...over });

  it.each<[string, Partial<GrantFacts>, string]>([
    ['waits while the person signs in', {}, 'pending'],
    ['waits when it keeps to the interval', { previousPollAt: at(-5) }, 'pending'],
    ['is told to slow down when it asks too soon', { previousPollAt: at(-4) }, 'slow_down'],
    ['gives up once the grant expired', { expiresAt: now }, 'expired'],
    ['hears of a refusal', { status: 'denied' }, 'denied'],
    ['goes on once signed in', { status: 'approved', previousPollAt: at(-1) }, 'approved'],
    ['gets its installation back when it used the grant itself', { status: 'consumed', consumedFingerprint: 'fp', expiresAt: at(-1) }, 'approved'],
    ['is refused a grant another machine used', { status: 'consumed', consumedFingerprint: 'other' }, 'used'],
  ])('%s', (_label, over, verdict) => {
    expect(pollVerdict(grant(over), 'fp', now)).toBe(verdict);
  });
});
