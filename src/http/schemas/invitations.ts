import { z } from 'zod';
import type { RejectedRow, SkipReason } from '../../domain/invitation.js';

/**
 * Addresses typed by hand, taken as typed: an entry that is no address is reported in the
 * answer's rejectedRows, and is no reason to refuse the others.
 */
export const typedEmails = (max: number) =>
  z
    .array(z.string().max(254))
    .min(1)
    .max(max)
    .meta({ description: `Up to ${max} entries; those that are not email addresses come back in rejectedRows, by position from 1, and the others are invited` });

const rejectedRows = z.array(z.object({ line: z.number(), value: z.string(), message: z.string() })).meta({
  description: 'Entries that hold no email address, by line of the file or position in the typed list (from 1), with why in words ("is not an email address"); the others were invited',
});

const SKIP_WORDS: Record<SkipReason, string> = {
  duplicate: 'listed before',
  already_member: 'a member already',
  already_invited: 'an invitation still pending (send that one again instead)',
};

/** What sending invitations answers, from a typed list or a file: member invitations and invitations to install alike. */
export function sentSchema<I extends z.ZodType, R extends SkipReason>(invitation: I, reasons: readonly [R, ...R[]]) {
  return z.object({
    invited: z.array(invitation),
    skipped: z.array(z.object({ email: z.string(), reason: z.enum(reasons) })).meta({
      description: `Addresses not invited, and why: ${reasons.map((r) => `${r} (${SKIP_WORDS[r]})`).join(', ')}`,
    }),
    rejectedRows,
  });
}

/** A sending's outcome as the answer gives it, the invitations presented by `present`. */
export const presentSent = <V, P, R extends SkipReason>(present: (v: V) => P, r: { invited: V[]; skipped: { email: string; reason: R }[]; rejectedRows: RejectedRow[] }) => ({
  invited: r.invited.map(present),
  skipped: r.skipped,
  rejectedRows: r.rejectedRows,
});
