import { describe, expect, it } from 'vitest';
import { bareContentType, checkContentType, checkFileName, checkSignature, FILE_KINDS, isValidStorageKey, KIND_CONTENT_TYPES } from '../../../src/domain/stored-files.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('content types per kind', () => {
  it('accepts each kind\'s own types, with parameters and any case', () => {
    for (const kind of FILE_KINDS) for (const type of KIND_CONTENT_TYPES[kind]) expect(checkContentType(kind, type.toUpperCase() + '; charset=utf-8')).toBeNull();
    expect(bareContentType(' Text/HTML ; charset=utf-8')).toBe('text/html');
  });

  it('refuses a type the kind does not take', () => {
    expect(checkContentType('documentation', 'application/x-msdownload')).toBe('type_not_accepted');
    expect(checkContentType('attachment', 'text/html')).toBe('type_not_accepted');
    expect(checkContentType('installer', '')).toBe('type_not_accepted');
  });
});

describe('checkSignature', () => {
  it('takes files that start as their type says', () => {
    expect(checkSignature('application/pdf', ascii('%PDF-1.7'))).toBeNull();
    expect(checkSignature('image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeNull();
    expect(checkSignature('image/gif', ascii('GIF89a..'))).toBeNull();
    expect(checkSignature('application/zip', ascii('PK\x03\x04rest'))).toBeNull();
    expect(checkSignature('application/x-msdownload', ascii('MZ\x90\x00'))).toBeNull();
  });

  it('refuses files that do not, or are too short to', () => {
    expect(checkSignature('application/pdf', ascii('MZ\x90\x00\x03'))).toBe('content_mismatch');
    expect(checkSignature('application/pdf', ascii('%PD'))).toBe('content_mismatch');
    expect(checkSignature('image/png', bytes())).toBe('content_mismatch');
  });

  it('refuses text with NUL bytes and takes any bytes for types without a signature', () => {
    expect(checkSignature('text/plain', ascii('a\x00b'))).toBe('content_mismatch');
    expect(checkSignature('text/plain; charset=utf-8', ascii('plain'))).toBeNull();
    expect(checkSignature('application/octet-stream', bytes(0, 1, 2))).toBeNull();
  });
});

describe('isValidStorageKey', () => {
  it('takes the keys the system makes', () => {
    for (const key of ['downloads/0b6f/file', 'attachments/t-1/a_b.c', 'x']) expect(isValidStorageKey(key)).toBe(true);
  });
  it('refuses keys that could leave their place', () => {
    for (const key of ['', '../x', 'a/../b', 'a/./b', '/abs', 'a//b', 'a/', 'A', 'a\u0000b', 'a\\b', 'é', '.hidden', 'x'.repeat(513)]) expect(isValidStorageKey(key)).toBe(false);
  });
});

describe('checkFileName', () => {
  it('takes plain names', () => {
    for (const name of ['Keyline-2.1.dmg', 'Guide (FR).pdf', 'Über setup.exe']) expect(checkFileName(name)).toBeNull();
  });
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['a'.repeat(256), 'too_long'],
    ['a\u0000.exe', 'control_character'],
    ['line\nbreak', 'control_character'],
    ['../etc/passwd', 'path'],
    ['dir\\file', 'path'],
    ['..', 'path'],
    ['.env', 'reserved'],
    ['CON.txt', 'reserved'],
    ['what?.pdf', 'reserved'],
    ['trailing.', 'reserved'],
  ])('refuses %j (%s)', (name, problem) => {
    expect(checkFileName(name)).toBe(problem);
  });
});
