/*
 * The server names the field of an input issue by its path in the request ("company.postalCode",
 * "querystring.limit", "emails.1"); people read it in words, entries counted from 1. The portal
 * reads every validation_failed answer through this.
 */

/**
 * One thing the server found wrong: what to say next to each field it may be shown at, by the
 * server's names of the field ("company.state", "emails.1" and "emails"), most specific first,
 * and a whole sentence for a place that is no field.
 */
export interface Problem {
  fields: Record<string, string>;
  sentence: string;
}

const isIndex = (segment: string) => /^\d+$/.test(segment);
const words = (segments: string[]) => segments.join(' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** A path in words, entries counted from 1: "company.postalCode" is "company postal code", "items.0.quantity" "quantity of entry 1 of items". */
function named(segments: string[]): string {
  let last = segments.length - 1;
  while (last >= 0 && !isIndex(segments[last]!)) last--;
  if (last < 0) return words(segments);
  const entry = `entry ${Number(segments[last]) + 1}${last > 0 ? ` of ${named(segments.slice(0, last))}` : ''}`;
  return last < segments.length - 1 ? `${words(segments.slice(last + 1))} of ${entry}` : entry;
}

/** "must be an email address" about "entry 2" reads "Entry 2 must be an email address"; a message of its own sentence follows a colon. */
function sentence(subject: string, message: string): string {
  if (subject === '') return message.charAt(0).toUpperCase() + message.slice(1);
  const Subject = subject.charAt(0).toUpperCase() + subject.slice(1);
  return /^[a-z]/.test(message) ? `${Subject} ${message}` : `${Subject}: ${message}`;
}

/**
 * Where the server's message about `path` lands, and how it reads there. Beside the path itself:
 * the same path without the part of the request it is in ("querystring.expiresInDays" is the
 * form's "expiresInDays"), and the list an entry belongs to, which says the entry ("emails.1" is
 * "Entry 2 …" at "emails").
 */
export function issueInWords(path: string, message: string): Problem {
  const segments = path.split('.').filter((s) => s !== '');
  const inner = ['querystring', 'params', 'body'].includes(segments[0] ?? '') ? segments.slice(1) : segments;
  const fields: Record<string, string> = { [path]: message, [inner.join('.')]: message };
  const list = inner.findIndex(isIndex);
  if (list > 0) fields[inner.slice(0, list).join('.')] = sentence(named(inner.slice(list)), message);
  return { fields, sentence: sentence(named(inner), message) };
}

