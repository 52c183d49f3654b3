import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE_LIMITS } from '../../src/domain/stored-files.js';
import { StorageError, type FileStorage } from '../../src/services/storage/file-storage.js';
import { openFileStorage } from '../../src/services/storage/open-storage.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

const limits = { ...DEFAULT_SIZE_LIMITS, attachment: 64 * 1024 };
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Chunks of a few KiB, as a network would deliver them, so the size limit trips part-way. */
function chunks(data: Buffer, size = 4096): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  })());
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

interface BackEnd {
  storage: FileStorage;
  /** Every file the back end keeps on disk, to see that a refused put left nothing. */
  kept(): Promise<string[]>;
  close(): Promise<void>;
}

const backEnds: Record<string, () => Promise<BackEnd>> = {
  'data folder': async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-files-'));
    return {
      storage: openFileStorage({ location: { kind: 'folder', dir }, limits }),
      kept: () => filesUnder(dir),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  'S3-compatible bucket': async () => {
    const s3: S3TestServer = await startS3Server();
    return {
      storage: openFileStorage({ ...s3.storage, limits }),
      // s3rver keeps each object as a file plus its metadata; the bucket's own folder marker aside.
      kept: async () => (await filesUnder(s3.directory)).filter((f) => !f.endsWith('.keep')),
      close: () => s3.close(),
    };
  },
};

describe.each(Object.keys(backEnds))('file storage on the %s', (name) => {
  let backEnd: BackEnd;
  let storage: FileStorage;
  beforeAll(async () => {
    backEnd = await backEnds[name]!();
    storage = backEnd.storage;
  });
  afterAll(() => backEnd.close());

  it('keeps a streamed file with its size and SHA-256, and gives it back whole or in ranges', async () => {
    const body = Buffer.from('0123456789'.repeat(10_000));
    const stored = await storage.put('downloads/a/file-1', chunks(body), { kind: 'installer', contentType: 'application/octet-stream' });
    expect(stored).toEqual({ size: body.length, sha256: sha(body) });
    expect(await storage.head('downloads/a/file-1')).toEqual({ size: body.length });
    expect(sha(Buffer.from(await text(await storage.get('downloads/a/file-1'))))).toBe(sha(body));
    expect(await text(await storage.get('downloads/a/file-1', { start: 0, end: 0 }))).toBe('0');
    expect(await text(await storage.get('downloads/a/file-1', { start: 12, end: 15 }))).toBe('2345');
    expect(await text(await storage.get('downloads/a/file-1', { start: body.length - 3, end: body.length - 1 }))).toBe('789');
  });

  it('keeps several megabytes (more than one upload part) intact', async () => {
    const body = Buffer.alloc(12 * 1024 * 1024 + 17, 7);
    body.write('tail', body.length - 4);
    const stored = await storage.put('downloads/big', chunks(body, 64 * 1024), { kind: 'installer', contentType: 'application/octet-stream' });
    expect(stored.sha256).toBe(sha(body));
    expect(await text(await storage.get('downloads/big', { start: body.length - 4, end: body.length - 1 }))).toBe('tail');
  });

  it('replaces a file put again under the same key, and deletes it', async () => {
    await storage.put('notes/x', Readable.from([Buffer.from('first')]), { kind: 'documentation', contentType: 'text/plain' });
    await storage.put('notes/x', Readable.from([Buffer.from('second')]), { kind: 'documentation', contentType: 'text/plain' });
    expect(await text(await storage.get('notes/x'))).toBe('second');
    await storage.delete('notes/x');
    expect(await storage.head('notes/x')).toBeNull();
    await expect(storage.get('notes/x')).rejects.toMatchObject({ failure: 'not_found' });
    await storage.delete('notes/x');
  });

  it('refuses a file past its kind\'s limit part-way, keeping nothing of it', async () => {
    const before = await backEnd.kept();
    const body = Buffer.alloc(limits.attachment + 1, 1);
    await expect(storage.put('attachments/too-big', chunks(body), { kind: 'attachment', contentType: 'application/octet-stream' })).rejects.toMatchObject({
      failure: 'too_large',
      limit: limits.attachment,
    });
    expect(await storage.head('attachments/too-big')).toBeNull();
    expect(await backEnd.kept()).toEqual(before);
    // Exactly at the limit is fine.
    const atLimit = await storage.put('attachments/at-limit', chunks(body.subarray(1)), { kind: 'attachment', contentType: 'application/octet-stream' });
    expect(atLimit.size).toBe(limits.attachment);
  });

  it('refuses a file whose checksum or size is not the announced one, keeping nothing', async () => {
    const before = await backEnd.kept();
    const body = Buffer.from('hello world');
    await expect(storage.put('downloads/bad-sum', chunks(body), { kind: 'installer', contentType: 'application/octet-stream', expectedSha256: sha('other') })).rejects.toMatchObject({ failure: 'sha256_mismatch' });
    await expect(storage.put('downloads/bad-size', chunks(body), { kind: 'installer', contentType: 'application/octet-stream', expectedSize: 3 })).rejects.toMatchObject({ failure: 'size_mismatch' });
    expect(await storage.head('downloads/bad-sum')).toBeNull();
    expect(await backEnd.kept()).toEqual(before);
    expect((await storage.put('downloads/good-sum', chunks(body), { kind: 'installer', contentType: 'application/octet-stream', expectedSha256: sha(body).toUpperCase() })).sha256).toBe(sha(body));
  });

  it('refuses content types a kind does not take, and content that is not what its type says', async () => {
    await expect(storage.put('docs/a', Readable.from([Buffer.from('MZ...')]), { kind: 'documentation', contentType: 'application/x-msdownload' })).rejects.toMatchObject({ failure: 'type_not_accepted' });
    await expect(storage.put('docs/b', Readable.from([Buffer.from('MZ\x90\x00\x03\x00\x00\x00binary')]), { kind: 'documentation', contentType: 'application/pdf' })).rejects.toMatchObject({ failure: 'content_mismatch' });
    await expect(storage.put('docs/c', Readable.from([Buffer.from('text\x00with nul')]), { kind: 'documentation', contentType: 'text/plain' })).rejects.toMatchObject({ failure: 'content_mismatch' });
    // A signature split over two chunks still counts.
    const pdf = await storage.put('docs/d', Readable.from([Buffer.from('%P'), Buffer.from('DF-1.7 rest')]), { kind: 'documentation', contentType: 'application/pdf' });
    expect(pdf.size).toBe(13);
    expect(await storage.head('docs/b')).toBeNull();
  });

  it('refuses keys that could leave its place (path traversal, NUL, absolute, upper case)', async () => {
    for (const key of ['../escape', 'a/../../b', '/etc/passwd', 'a//b', 'a\u0000b', 'A/B', '', 'a/./b', 'a\\b']) {
      await expect(storage.put(key, Readable.from([Buffer.from('x')]), { kind: 'installer', contentType: 'application/octet-stream' })).rejects.toBeInstanceOf(StorageError);
      await expect(storage.head(key)).rejects.toMatchObject({ failure: 'bad_key' });
    }
  });
});
