import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { checkContentType, checkSignature, isValidStorageKey, SIGNATURE_BYTES, type FileKind } from '../../domain/stored-files.js';

/** What a stored object is, measured while it was written. */
export interface StoredFile {
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface PutOptions {
  kind: FileKind;
  contentType: string;
  /** When given, a body whose digest differs is refused and not kept. */
  expectedSha256?: string;
  /** When given, a body of another length is refused and not kept. */
  expectedSize?: number;
}

/** Both ends inclusive, as in HTTP's Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export type StorageFailure = 'too_large' | 'type_not_accepted' | 'content_mismatch' | 'sha256_mismatch' | 'size_mismatch' | 'bad_key' | 'not_found';

/** A put or get refused for a reason its caller can word for a user; nothing partial is kept. */
export class StorageError extends Error {
  constructor(
    readonly failure: StorageFailure,
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }
}

/**
 * Every file the system keeps goes through this: bodies stream in and out (never whole in
 * memory), are measured and hashed on the way in, and a refused put leaves nothing behind.
 */
export interface FileStorage {
  readonly kind: 'folder' | 's3';
  put(key: string, body: Readable, options: PutOptions): Promise<StoredFile>;
  /** The object's bytes, or the range of them; a missing object fails with `not_found`. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size, or null when there is none. */
  head(key: string): Promise<{ size: number } | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}

export function assertKey(key: string): void {
  if (!isValidStorageKey(key)) throw new StorageError('bad_key', `"${key}" is not a storage key`);
}

/** Refuses a content type the kind does not accept before a byte is written. */
export function assertContentType(options: PutOptions): void {
  if (checkContentType(options.kind, options.contentType)) {
    throw new StorageError('type_not_accepted', `a file of this kind cannot be ${options.contentType}`);
  }
}

/**
 * The stream every put body passes through: counts and hashes it, stops it past the kind's limit,
 * and checks its first bytes against the claimed type. `result()` is valid once it has ended.
 */
export class MeteringStream extends Transform {
  private size = 0;
  private readonly hash = createHash('sha256');
  private head: Buffer | null = Buffer.alloc(0);

  constructor(
    private readonly limit: number,
    private readonly options: PutOptions,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      done(new StorageError('too_large', `the file is larger than the ${this.limit}-byte limit of its kind`, this.limit));
      return;
    }
    this.hash.update(chunk);
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length >= SIGNATURE_BYTES) {
        const problem = this.checkHead();
        if (problem) return done(problem);
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const problem = this.checkHead();
    if (problem) return done(problem);
    const { expectedSha256, expectedSize } = this.options;
    if (expectedSize !== undefined && expectedSize !== this.size) {
      return done(new StorageError('size_mismatch', `the file has ${this.size} bytes, ${expectedSize} were announced`));
    }
    this.digest = this.hash.digest('hex');
    if (expectedSha256 !== undefined && expectedSha256.toLowerCase() !== this.digest) {
      return done(new StorageError('sha256_mismatch', 'the file does not have the announced SHA-256 checksum'));
    }
    done();
  }

  private digest: string | null = null;

  private checkHead(): StorageError | null {
    if (!this.head) return null;
    const head = this.head;
    this.head = null;
    return checkSignature(this.options.contentType, head.subarray(0, SIGNATURE_BYTES))
      ? new StorageError('content_mismatch', `the file's content is not ${this.options.contentType}`)
      : null;
  }

  result(): StoredFile {
    if (this.digest === null) throw new Error('the stream has not ended');
    return { size: this.size, sha256: this.digest };
  }
}
