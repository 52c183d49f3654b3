import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileKind } from '../../domain/stored-files.js';
import { assertContentType, assertKey, MeteringStream, StorageError, type ByteRange, type FileStorage, type PutOptions, type StoredFile } from './file-storage.js';

export interface S3Location {
  bucket: string;
  /** Keys live under this prefix in the bucket ("" or ends with "/"). */
  prefix: string;
  client: S3ClientConfig;
}

/**
 * Files in an S3-compatible bucket. A put streams as a multipart upload (5 MiB parts, a few in
 * flight), so memory stays flat whatever the size; a refused put aborts the upload (no parts kept)
 * or, when the refusal comes only at the end (checksum), deletes the object just written.
 */
export class S3Storage implements FileStorage {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(
    private readonly location: S3Location,
    private readonly limits: Record<FileKind, number>,
  ) {
    this.client = new S3Client(location.client);
  }

  private objectKey(key: string): string {
    assertKey(key);
    return `${this.location.prefix}${key}`;
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<StoredFile> {
    const Key = this.objectKey(key);
    assertContentType(options);
    const meter = new MeteringStream(this.limits[options.kind], options);
    const passage = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key, Body: passage, ContentType: options.contentType },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // The upload must not stay unhandled while the body is still being read.
    uploaded.catch(() => undefined);
    try {
      await pipeline(body, meter, passage);
    } catch (error) {
      body.destroy();
      await upload.abort().catch(() => undefined);
      await uploaded.catch(() => undefined);
      await this.delete(key);
      throw error;
    }
    await uploaded;
    return meter.result();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      const body = answer.Body as Readable;
      // A server that ignored the Range (s3rver does for bytes=0-0) sent the whole object: cut it here.
      const honoured = !range || answer.ContentRange?.startsWith(`bytes ${range.start}-${range.end}/`);
      return honoured ? body : body.pipe(sliceOf(range));
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) throw new StorageError('not_found', 'no such file');
      throw error;
    }
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return { size: answer.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }
}

/** Passes on only the bytes of `range` of what flows through it. */
function sliceOf(range: ByteRange): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(range.start - offset, 0);
      const to = Math.min(range.end + 1 - offset, chunk.length);
      offset += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}
