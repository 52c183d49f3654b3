import { describe, expect, it } from 'vitest';
import { invitationLifetimeSeconds, invitationState, planInvitations, readEmailFile, readEmailList } from '../../../src/domain/invitation.js';

const now = new Date('2026-03-01T12:00:00Z');
const later = new Date('2026-03-02T12:00:00Z');
const earlier = new Date('2026-02-28T12:00:00Z');

describe('invitation state', () => {
  it('is pending until it expires, then expired', () => {
    expect(invitationState({ accepted_at: null, revoked_at: null, expires_at: later }, now)).toBe('pending');
    expect(invitationState({ accepted_at: null, revoked_at: null, expires_at: now }, now)).toBe('expired');
  });
  it('stays accepted or revoked after its expiry', () => {
    expect(invitationState({ accepted_at: earlier, revoked_at: null, expires_at: earlier }, now)).toBe('accepted');
    expect(invitationState({ accepted_at: null, revoked_at: earlier, expires_at: earlier }, now)).toBe('revoked');
  });
  it('keeps the lifetime chosen at invitation across sendings', () => {
    expect(invitationLifetimeSeconds({ last_sent_at: now, expires_at: new Date(now.getTime() + 14 * 86_400_000) })).toBe(14 * 86_400);
  });
});

describe('planning invitations', () => {
  it('skips repeats without regard to case, and taken addresses with their reason, in the order given', () => {
    const taken = new Map([
      ['bob@example.com', 'already_member'],
      ['dee@example.com', 'already_invited'],
    ] as const);
    const plan = planInvitations(['Ann@example.com', 'Bob@example.com', 'ann@EXAMPLE.com', 'cy@example.com', 'DEE@example.com'], taken);
    expect(plan).toEqual([
      { email: 'Ann@example.com', skip: null },
      { email: 'Bob@example.com', skip: 'already_member' },
      { email: 'ann@EXAMPLE.com', skip: 'duplicate' },
      { email: 'cy@example.com', skip: null },
      { email: 'DEE@example.com', skip: 'already_invited' },
    ]);
  });
});

describe('reading a CSV file of addresses', () => {
  it('takes the column headed email, whatever its case and position', () => {
    const file = readEmailFile('Name,E-Mail Notes,EMAIL\nAnn,x,ann@example.com\nBob,y, bob@example.com \n');
    expect(file).toEqual({ ok: true, emails: ['ann@example.com', 'bob@example.com'], rejectedRows: [] });
  });

  it('takes the first column when there is no header row', () => {
    const file = readEmailFile('ann@example.com,Ann\r\nbob@example.com,Bob\r\n');
    expect(file).toEqual({ ok: true, emails: ['ann@example.com', 'bob@example.com'], rejectedRows: [] });
  });

  it('reports rows without an address by line, counting blank lines, and keeps the rest', () => {
    const file = readEmailFile('email\nann@example.com\n\nnot-an-email\n,Bob\nbob@example.com');
    expect(file).toEqual({
      ok: true,
      emails: ['ann@example.com', 'bob@example.com'],
      rejectedRows: [
        { line: 4, value: 'not-an-email', message: 'is not an email address' },
        { line: 5, value: '', message: 'has no email address' },
      ],
    });
  });

  it('refuses a file with no address to invite, or one that is not CSV', () => {
    expect(readEmailFile('')).toMatchObject({ ok: false, rejectedRows: [] });
    expect(readEmailFile('email\nnobody\n')).toMatchObject({ ok: false, rejectedRows: [{ line: 2, value: 'nobody' }] });
    expect(readEmailFile('email\n"ann@example.com\n')).toMatchObject({ ok: false, message: expect.stringContaining('not valid CSV') });
  });

  it('refuses a file with more addresses than one upload may invite', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `p${i}@example.com`).join('\n');
    expect(readEmailFile(many)).toMatchObject({ ok: false, message: expect.stringContaining('more than 1000') });
  });
});

describe('reading addresses typed in by hand', () => {
  it('keeps the addresses and reports the other entries by position', () => {
    expect(readEmailList([' ann@example.com ', 'not-an-email', '', 'bob@example.com'])).toEqual({
      emails: ['ann@example.com', 'bob@example.com'],
      rejectedRows: [
        { line: 2, value: 'not-an-email', message: 'is not an email address' },
        { line: 3, value: '', message: 'has no email address' },
      ],
    });
  });
});
