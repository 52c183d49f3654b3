import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { addDays } from './clock.js';
import { AppError, invalidInput } from './errors.js';
import { acceptedJwsHeader, type JwsHeader } from './jws.js';
import {
  MAX_OFFLINE_FILE_CHARS,
  offlineAnswerSchema,
  offlineRequestSchema,
  type Jwks,
  type OfflineAnswer,
  type OfflineAnswerKind,
  type OfflineRequest,
  type OfflineRequestKind,
} from './licensing-protocol.js';
import { findUnstorableText } from './text.js';

/**
 * Offline files (PROTOCOL.md, "Offline files"): a compact JWS in an armored block a person can
 * carry on a USB stick or paste into a form. Parsing is strict, so a file that was cut, garbled
 * or edited is refused with a stable code instead of half-read: `file_malformed` when it is not
 * a well-formed file, `file_signature_invalid` when it is one but its signature does not hold.
 */

export const ARMOR_KINDS = ['ACTIVATION REQUEST', 'REFRESH REQUEST', 'DEACTIVATION REQUEST', 'ACTIVATION', 'REFRESH'] as const;
export type ArmorKind = (typeof ARMOR_KINDS)[number];

export const ARMOR_KIND_OF: Record<OfflineRequestKind | OfflineAnswerKind, ArmorKind> = {
  'activation-request': 'ACTIVATION REQUEST',
  'refresh-request': 'REFRESH REQUEST',
  'deactivation-request': 'DEACTIVATION REQUEST',
  activation: 'ACTIVATION',
  refresh: 'REFRESH',
};

/** A file, request or answer, is good for this long from when it was made. */
export const OFFLINE_FILE_DAYS = 30;

const LINE = 64;
const BEGIN = /^-----BEGIN KEYLINE ([A-Z ]+)-----$/;
const END = /^-----END KEYLINE ([A-Z ]+)-----$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export const malformed = (why: string) => new AppError('file_malformed', `This is not a readable Keyline offline file: ${why}`);

export function armor(kind: ArmorKind, content: string): string {
  const lines = Buffer.from(content, 'utf8').toString('base64').match(new RegExp(`.{1,${LINE}}`, 'g')) ?? [];
  return [`-----BEGIN KEYLINE ${kind}-----`, ...lines, `-----END KEYLINE ${kind}-----`, ''].join('\n');
}

/**
 * The kind and content of an armored block. Blank lines around it, spaces at line ends and CRLF
 * line breaks are what mail and editors add, so they are tolerated; nothing else is.
 */
export function dearmor(text: string): { kind: ArmorKind; content: string } {
  if (text.length > MAX_OFFLINE_FILE_CHARS) throw malformed('it is too long');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines.at(-1) === '') lines.pop();
  const begin = BEGIN.exec(lines[0] ?? '');
  const end = END.exec(lines.at(-1) ?? '');
  if (!begin || !end || lines.length < 3) throw malformed('the BEGIN and END lines are missing');
  const kind = begin[1] as ArmorKind;
  if (!ARMOR_KINDS.includes(kind) || end[1] !== kind) throw malformed('the BEGIN and END lines do not name one kind of file');
  const body = lines.slice(1, -1);
  const lastIndex = body.length - 1;
  if (body.some((l, i) => !BASE64_LINE.test(l) || (i < lastIndex ? l.length !== LINE : l.length > LINE))) {
    throw malformed(`its lines are not base64 in ${LINE} columns`);
  }
  const joined = body.join('');
  const bytes = Buffer.from(joined, 'base64');
  // Only the one canonical encoding is accepted, so two different texts never read as one file.
  if (bytes.toString('base64') !== joined) throw malformed('its base64 is broken');
  const content = bytes.toString('utf8');
  if (!Buffer.from(content, 'utf8').equals(bytes)) throw malformed('its content is not text');
  return { kind, content };
}

/** Strict base64url: no padding, and only the canonical spelling of the bytes. */
function base64url(part: string): Buffer {
  if (!BASE64URL.test(part)) throw malformed('its signed content is broken');
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw malformed('its signed content is broken');
  return bytes;
}

function json(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed('its signed content is broken');
  }
}

export interface CompactJws {
  header: JwsHeader;
  payload: unknown;
  signingInput: string;
  signature: Buffer;
}

/** A compact JWS (RFC 7515) with EdDSA (RFC 8037), taken apart without trusting it yet. */
export function parseCompactJws(jws: string): CompactJws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw malformed('its signed content is broken');
  const [h, p, s] = parts as [string, string, string];
  const header = acceptedJwsHeader(json(base64url(h)));
  if (!header) throw malformed('its signature header is not EdDSA with no critical extensions');
  const signature = base64url(s);
  if (signature.length !== 64) throw malformed('its signature is broken');
  return { header, payload: json(base64url(p)), signingInput: `${h}.${p}`, signature };
}

export function signCompactJws(header: Record<string, unknown>, payload: unknown, privateKey: KeyObject): string {
  const signingInput = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', ...header })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/** Whether an Ed25519 key (the `x` of its OKP JWK, base64url) made this signature; a key that is no valid point verifies nothing. */
export function signedBy(x: string, jws: Pick<CompactJws, 'signingInput' | 'signature'>): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return verify(null, Buffer.from(jws.signingInput), key, jws.signature);
  } catch {
    return false;
  }
}

/** RFC 7638: SHA-256 over the required members of the Ed25519 key as an OKP JWK, in lexicographic order. */
export function okpThumbprint(x: string): string {
  return createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
}

const signatureInvalid = (whose: string) => new AppError('file_signature_invalid', `The signature of this file does not match ${whose}: it was changed or made elsewhere`);

/**
 * A request file an installation wrote, checked against the public key it encloses. Whether that
 * key is the one bound to the installation is for the server to check.
 */
export function readOfflineRequest(text: string): OfflineRequest {
  const { kind, content } = dearmor(text);
  if (!kind.endsWith(' REQUEST')) throw malformed('it is not a request file; the installation applies this one');
  const jws = parseCompactJws(content);
  const parsed = offlineRequestSchema.safeParse(jws.payload);
  if (!parsed.success || ARMOR_KIND_OF[parsed.data.kind] !== kind) throw malformed('its content is not a request of this kind');
  // The installation describes itself in the file as it would in an online activation: the same text rule holds.
  const unstorable = findUnstorableText(parsed.data);
  if (unstorable) throw invalidInput([{ path: ['file', ...unstorable.path].join('.'), message: unstorable.message }]);
  if (!signedBy(parsed.data.publicKey, jws)) throw signatureInvalid("the installation's key");
  return parsed.data;
}

/** A file the server signed for an installation, checked against the server's public keys alone. */
export function readOfflineAnswer(text: string, jwks: Jwks): OfflineAnswer {
  const { kind, content } = dearmor(text);
  if (kind.endsWith(' REQUEST')) throw malformed('it is a request file: upload it in the portal, then apply the file you get back');
  const jws = parseCompactJws(content);
  const jwk = jwks.keys.find((k) => k.kid === jws.header.kid);
  if (!jwk || !signedBy(jwk.x, jws)) throw signatureInvalid("the licensing server's keys");
  const parsed = offlineAnswerSchema.safeParse(jws.payload);
  if (!parsed.success || ARMOR_KIND_OF[parsed.data.kind] !== kind) throw malformed('its content is not an answer of this kind');
  return parsed.data;
}

/** Whether a file made at `madeAt` is past its 30 days (or claims to be made more than a day from now). */
export function isOfflineFileExpired(madeAt: Date, now: Date): boolean {
  return addDays(madeAt, OFFLINE_FILE_DAYS) < now || madeAt > addDays(now, 1);
}

/**
 * The oldest acceptance whose nonce still matters: a request accepted earlier was made at most a
 * day after it (the latest isOfflineFileExpired lets in), so it is past its 30 days by now and is
 * refused as expired without the nonce.
 */
export function offlineNoncesNeededSince(now: Date): Date {
  return addDays(now, -(OFFLINE_FILE_DAYS + 1));
}
