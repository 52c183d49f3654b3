/**
 * What the system keeps as files: each kind has its own size ceiling and the content types it
 * accepts; the first bytes of a file must agree with the type it claims where a type has a
 * signature (a "PDF" that is an executable is refused).
 */
export const FILE_KINDS = ['installer', 'documentation', 'attachment'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The default ceilings; configuration may lower or raise each one. */
export const DEFAULT_SIZE_LIMITS: Record<FileKind, number> = {
  installer: 8 * GiB,
  documentation: 512 * MiB,
  attachment: 25 * MiB,
};

const ANY_BINARY = 'application/octet-stream';

/** The content types each kind accepts; an installer may be any binary package. */
export const KIND_CONTENT_TYPES: Record<FileKind, readonly string[]> = {
  installer: [
    ANY_BINARY,
    'application/x-apple-diskimage',
    'application/vnd.apple.installer+xml',
    'application/x-msdownload',
    'application/x-msi',
    'application/zip',
    'application/gzip',
    'application/x-tar',
    'application/vnd.debian.binary-package',
    'application/x-rpm',
  ],
  documentation: ['application/pdf', 'text/html', 'text/plain', 'text/markdown', 'application/zip', 'application/epub+zip'],
  attachment: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'application/zip', 'application/gzip', ANY_BINARY],
};

/** Leading bytes of the types that have a fixed signature. */
const SIGNATURES: Record<string, readonly (readonly number[])[]> = {
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]],
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/gif': [
    [0x47, 0x49, 0x46, 0x38, 0x37, 0x61],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  ],
  'image/webp': [[0x52, 0x49, 0x46, 0x46]],
  'application/zip': [
    [0x50, 0x4b, 0x03, 0x04],
    [0x50, 0x4b, 0x05, 0x06],
  ],
  'application/epub+zip': [[0x50, 0x4b, 0x03, 0x04]],
  'application/gzip': [[0x1f, 0x8b]],
  'application/x-msdownload': [[0x4d, 0x5a]],
  'application/x-msi': [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
  'application/vnd.debian.binary-package': [[0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e]],
  'application/x-rpm': [[0xed, 0xab, 0xee, 0xdb]],
};

/** How many leading bytes the signature check needs before it can decide. */
export const SIGNATURE_BYTES = 8;

export type ContentTypeProblem = 'type_not_accepted' | 'content_mismatch';

/** The media type without parameters, lower case ("Text/HTML; charset=utf-8" → "text/html"). */
export function bareContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function checkContentType(kind: FileKind, contentType: string): ContentTypeProblem | null {
  return KIND_CONTENT_TYPES[kind].includes(bareContentType(contentType)) ? null : 'type_not_accepted';
}

/**
 * Whether a file's first bytes fit its claimed type. Text types must not carry NUL bytes (a binary
 * passed off as text); an empty or short file is judged on what it has.
 */
export function checkSignature(contentType: string, head: Uint8Array): ContentTypeProblem | null {
  const type = bareContentType(contentType);
  if (type.startsWith('text/')) return head.includes(0) ? 'content_mismatch' : null;
  const signatures = SIGNATURES[type];
  if (!signatures) return null;
  const fits = signatures.some((sig) => sig.length <= head.length && sig.every((byte, i) => head[i] === byte));
  return fits ? null : 'content_mismatch';
}

/**
 * Object keys are made by the system (kind/uuid...), never taken from a user: lower-case segments
 * of letters, digits, dot, dash and underscore, no empty, "." or ".." segment.
 */
export function isValidStorageKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  return key.split('/').every((segment) => /^[a-z0-9_-][a-z0-9._-]*$/.test(segment) && segment !== '.' && segment !== '..');
}

export type FileNameProblem = 'empty' | 'too_long' | 'path' | 'control_character' | 'reserved';

/**
 * A name a file is offered under ("Keyline-2.1.dmg"): one plain name a browser can save, with no
 * folder part, no control characters (NUL included) and no name a file system reserves.
 */
export function checkFileName(name: string): FileNameProblem | null {
  if (name.trim().length === 0) return 'empty';
  if (Buffer.byteLength(name, 'utf8') > 255) return 'too_long';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control_character';
  if (/[/\\]/.test(name) || name === '.' || name === '..') return 'path';
  if (/^\.|[<>:"|?*]|[. ]$/.test(name) || /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)) return 'reserved';
  return null;
}
