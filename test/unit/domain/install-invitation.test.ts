import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCodeUse, downloadLink, INSTALL_INVITATION_STATUSES, installInvitationStatus } from '../../../src/domain/install-invitation.js';

const now = new Date('2025-06-01T12:00:00Z');
const later = new Date('2025-06-08T12:00:00Z');
const earlier = new Date('2025-05-25T12:00:00Z');
const pending = { used_at: null, revoked_at: null, expires_at: later };
const machine = 'fingerprint-of-lab-7-0001';
const other = 'fingerprint-of-lab-8-0002';

// Any invitation's life: maybe used, maybe revoked, expiring before or after now.
const life = fc.record({
  used_at: fc.option(fc.constant(earlier), { nil: null }),
  revoked_at: fc.option(fc.constant(earlier), { nil: null }),
  expires_at: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true }),
});
const usedBy = fc.option(fc.record({ fingerprint: fc.constantFrom(machine, other), active: fc.boolean() }), { nil: null });

describe("an invitation's status", () => {
  it('is one of pending, used, expired and revoked', () => {
    expect(INSTALL_INVITATION_STATUSES).toEqual(['pending', 'used', 'expired', 'revoked']);
    fc.assert(
      fc.property(life, (i) => {
        expect(INSTALL_INVITATION_STATUSES).toContain(installInvitationStatus(i, now));
      }),
    );
  });

  it('is pending until the moment it expires, then expired', () => {
    expect(installInvitationStatus(pending, now)).toBe('pending');
    expect(installInvitationStatus({ ...pending, expires_at: new Date(now.getTime() + 1) }, now)).toBe('pending');
    expect(installInvitationStatus({ ...pending, expires_at: now }, now)).toBe('expired');
    expect(installInvitationStatus({ ...pending, expires_at: earlier }, now)).toBe('expired');
  });

  it('stays used once used, even revoked or past its expiry', () => {
    for (const i of [
      { ...pending, used_at: earlier },
      { ...pending, used_at: earlier, revoked_at: now },
      { ...pending, used_at: earlier, expires_at: earlier },
    ]) {
      expect(installInvitationStatus(i, now)).toBe('used');
    }
  });

  it('stays revoked once revoked, even past its expiry', () => {
    expect(installInvitationStatus({ ...pending, revoked_at: earlier }, now)).toBe('revoked');
    expect(installInvitationStatus({ ...pending, revoked_at: earlier, expires_at: earlier }, now)).toBe('revoked');
  });

  it('follows from the facts alone: used, else revoked, else by its expiry', () => {
    fc.assert(
      fc.property(life, (i) => {
        const expected = i.used_at ? 'used' : i.revoked_at ? 'revoked' : i.expires_at > now ? 'pending' : 'expired';
        expect(installInvitationStatus(i, now)).toBe(expected);
      }),
    );
  });
});

describe('using a code', () => {
  it('activates any machine while pending', () => {
    expect(checkCodeUse(pending, null, machine, now)).toEqual({ ok: true });
  });

  it('gives the machine it activated its installation back on a retry, even after the code would have expired', () => {
    const used = { ...pending, used_at: earlier };
    expect(checkCodeUse(used, { fingerprint: machine, active: true }, machine, now)).toEqual({ ok: true });
    expect(checkCodeUse({ ...used, expires_at: earlier }, { fingerprint: machine, active: true }, machine, now)).toEqual({ ok: true });
  });

  it('is refused as used for another machine, for a deactivated installation, or when its installation is gone', () => {
    const used = { ...pending, used_at: earlier };
    const refused = { ok: false, code: 'code_used', reason: 'used' };
    expect(checkCodeUse(used, { fingerprint: machine, active: true }, other, now)).toEqual(refused);
    expect(checkCodeUse(used, { fingerprint: machine, active: false }, machine, now)).toEqual(refused);
    expect(checkCodeUse(used, null, machine, now)).toEqual(refused);
  });

  it('is refused as expired once revoked or past its expiry, saying which', () => {
    expect(checkCodeUse({ ...pending, revoked_at: earlier }, null, machine, now)).toEqual({ ok: false, code: 'code_expired', reason: 'revoked' });
    expect(checkCodeUse({ ...pending, expires_at: now }, null, machine, now)).toEqual({ ok: false, code: 'code_expired', reason: 'expired' });
  });

  it('works only while pending or for the active installation it made, so nobody gets a second seat', () => {
    fc.assert(
      fc.property(life, usedBy, fc.constantFrom(machine, other), (i, by, fingerprint) => {
        const status = installInvitationStatus(i, now);
        const verdict = checkCodeUse(i, by, fingerprint, now);
        const mayUse = status === 'pending' || (status === 'used' && by !== null && by.active && by.fingerprint === fingerprint);
        expect(verdict.ok).toBe(mayUse);
        if (!verdict.ok) {
          expect(verdict.reason).toBe(status);
          expect(verdict.code).toBe(status === 'used' ? 'code_used' : 'code_expired');
        }
      }),
    );
  });
});

describe('the download link', () => {
  it("is the product's downloads page on the server, with the person's code", () => {
    expect(downloadLink('https://licenses.example.com', 'desktop-business', 'K7Q2-M9XD')).toBe('https://licenses.example.com/downloads/desktop-business?activationCode=K7Q2-M9XD');
    expect(downloadLink('http://127.0.0.1:8080/keyline', 'ras', 'abc')).toBe('http://127.0.0.1:8080/keyline/downloads/ras?activationCode=abc');
  });

  it('carries any code and product intact, whatever characters they hold', () => {
    expect(downloadLink('https://x.example', 'a/b', 'c&d=e#f+g h')).toBe('https://x.example/downloads/a%2Fb?activationCode=c%26d%3De%23f%2Bg%20h');
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,49}$/), fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }), (product, code) => {
        const url = new URL(downloadLink('https://licenses.example.com', product, code));
        expect(url.origin).toBe('https://licenses.example.com');
        expect(url.pathname).toBe(`/downloads/${product}`);
        expect([...url.searchParams.keys()]).toEqual(['activationCode']);
        expect(url.searchParams.get('activationCode')).toBe(code);
        expect(url.hash).toBe('');
      }),
    );
  });
});
