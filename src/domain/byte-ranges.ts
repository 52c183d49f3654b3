/**
 * How a download answers HTTP's Range and conditional headers (RFC 9110 §13, §14): one range
 * (start-end, start-, or a suffix -n) is served as 206; a range past the end is 416; several ranges
 * are refused as 416 too rather than answered as multipart; a matching If-None-Match is 304; an
 * If-Range that no longer names the file (a new ETag, or a date) gets the whole file.
 */
export type DownloadAnswer =
  | { status: 200 }
  | { status: 206; start: number; end: number }
  | { status: 304 }
  | { status: 416; reason: 'unsatisfiable' | 'multiple_ranges' | 'malformed' };

export interface DownloadRequest {
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifRange?: string | undefined;
}

/** The strong entity tag of a file: its SHA-256, quoted. */
export const etagOf = (sha256: string) => `"${sha256}"`;

/** Whether an If-None-Match list names the tag (weak comparison, as §13.1.2 wants; "*" names any). */
function noneMatchHits(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export function answerDownload(request: DownloadRequest, size: number, etag: string): DownloadAnswer {
  if (request.ifNoneMatch !== undefined && noneMatchHits(request.ifNoneMatch, etag)) return { status: 304 };
  const range = request.range?.trim();
  if (range === undefined || range === '') return { status: 200 };
  // If-Range is strong: only the same, unweakened tag keeps the range; a date cannot be checked exactly.
  if (request.ifRange !== undefined && request.ifRange.trim() !== etag) return { status: 200 };
  const match = /^bytes\s*=\s*(.*)$/i.exec(range);
  // A unit other than bytes is ignored, as §14.2 allows.
  if (!match) return { status: 200 };
  const specs = match[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (specs.length === 0) return { status: 416, reason: 'malformed' };
  if (specs.length > 1) return { status: 416, reason: 'multiple_ranges' };
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return { status: 416, reason: 'malformed' };
  const [, first, last] = spec as unknown as [string, string, string];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { status: 416, reason: 'unsatisfiable' };
    return { status: 206, start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { status: 416, reason: 'malformed' };
  if (start >= size) return { status: 416, reason: 'unsatisfiable' };
  return { status: 206, start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The Content-Range of an answer: the part sent, or "*" with the size for a 416. */
export function contentRange(answer: DownloadAnswer, size: number): string | undefined {
  if (answer.status === 206) return `bytes ${answer.start}-${answer.end}/${size}`;
  if (answer.status === 416) return `bytes */${size}`;
  return undefined;
}
