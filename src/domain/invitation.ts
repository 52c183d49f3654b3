import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { invalidInput } from './errors.js';
import { unstorableBecause } from './text.js';

export const INVITATION_STATES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

/**
 * An invitation's state follows from its timestamps. Acceptance and revocation are final; an
 * invitation that is neither stays open, and an open one past its expiry is expired.
 */
export function invitationState(i: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }, now: Date): InvitationState {
  if (i.accepted_at) return 'accepted';
  if (i.revoked_at) return 'revoked';
  return i.expires_at > now ? 'pending' : 'expired';
}

/** Each sending starts a full lifetime, so the span from the last sending to expiry is the lifetime chosen at invitation. */
export function invitationLifetimeSeconds(i: { last_sent_at: Date; expires_at: Date }): number {
  return Math.round((i.expires_at.getTime() - i.last_sent_at.getTime()) / 1000);
}

export const SKIP_REASONS = ['already_member', 'already_invited', 'duplicate'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];


export const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Decides per requested address, in the order given, whether it gets an invitation or is skipped
 * because it repeats an earlier one or is taken: `taken` holds addresses (lower case) that get no
 * new invitation, and why (a member already, or invited and not answered yet). Addresses compare
 * without case.
 */
export function planInvitations<Taken extends Exclude<SkipReason, 'duplicate'>>(
  emails: readonly string[],
  taken: ReadonlyMap<string, Taken>,
): { email: string; skip: Taken | 'duplicate' | null }[] {
  const seen = new Set<string>();
  return emails.map((email) => {
    const key = email.toLowerCase();
    if (seen.has(key)) return { email, skip: 'duplicate' };
    seen.add(key);
    return { email, skip: taken.get(key) ?? null };
  });
}

export const MAX_CSV_EMAILS = 1000;

export interface RejectedRow {
  line: number;
  value: string;
  message: string;
}

export type EmailFile = { ok: true; emails: string[]; rejectedRows: RejectedRow[] } | { ok: false; message: string; rejectedRows: RejectedRow[] };

const emailAddress = z.email().max(254);

const rejectedEmail = (line: number, value: string): RejectedRow => ({ line, value, message: value === '' ? 'has no email address' : 'is not an email address' });

/** Addresses typed in by hand: those that are not addresses are reported by their position (from 1), the others kept. */
export function readEmailList(values: readonly string[]): { emails: string[]; rejectedRows: RejectedRow[] } {
  const emails: string[] = [];
  const rejectedRows: RejectedRow[] = [];
  values.forEach((raw, i) => {
    const value = raw.trim();
    if (emailAddress.safeParse(value).success) emails.push(value);
    else rejectedRows.push(rejectedEmail(i + 1, value));
  });
  return { emails, rejectedRows };
}

/**
 * Reads the addresses from an uploaded CSV file: the column headed "email" when the first row is
 * a header, else the first column. Rows that hold no email address are reported by line and left
 * out; a file with none to invite is refused as a whole, and so is one holding text that cannot
 * be stored (a NUL, a lone surrogate), named by its line and column.
 */
export function readEmailFile(text: string): EmailFile {
  const rows: { line: number; cells: string[] }[] = [];
  try {
    // Collected from the record hook, which knows the line each record ends on.
    parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (cells: string[], context) => {
        cells.forEach((cell, i) => {
          const message = unstorableBecause(cell);
          if (message) throw invalidInput([{ path: 'body', message: `line ${context.lines}, column ${i + 1} ${message}` }]);
        });
        rows.push({ line: context.lines, cells });
        return null;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, message: `The file is not valid CSV: ${err.message}`, rejectedRows: [] };
    throw err;
  }
  const header = rows[0]?.cells.findIndex((cell) => cell.toLowerCase() === 'email') ?? -1;
  const column = Math.max(header, 0);
  const emails: string[] = [];
  const rejectedRows: RejectedRow[] = [];
  for (const { line, cells } of header >= 0 ? rows.slice(1) : rows) {
    const value = cells[column] ?? '';
    if (emailAddress.safeParse(value).success) emails.push(value);
    else rejectedRows.push(rejectedEmail(line, value));
  }
  if (emails.length === 0) return { ok: false, message: 'The file holds no email address to invite', rejectedRows };
  if (emails.length > MAX_CSV_EMAILS) {
    return { ok: false, message: `The file holds more than ${MAX_CSV_EMAILS} email addresses; split it into smaller files`, rejectedRows };
  }
  return { ok: true, emails, rejectedRows };
}
