import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileKind } from '../../domain/stored-files.js';
import { assertContentType, assertKey, MeteringStream, StorageError, type ByteRange, type FileStorage, type PutOptions, type StoredFile } from './file-storage.js';

const TEMP = '.incoming';

/**
 * Files in a folder of the data directory: a put writes a temporary file and renames it into place
 * once it is whole and checked, so a reader never sees half a file and a refused one leaves nothing.
 */
export class FolderStorage implements FileStorage {
  readonly kind = 'folder';

  constructor(
    private readonly root: string,
    private readonly limits: Record<FileKind, number>,
  ) {}

  private file(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<StoredFile> {
    const target = this.file(key);
    assertContentType(options);
    const temp = path.join(this.root, TEMP, randomUUID());
    await mkdir(path.dirname(temp), { recursive: true });
    const meter = new MeteringStream(this.limits[options.kind], options);
    try {
      await pipeline(body, meter, createWriteStream(temp, { flags: 'wx' }));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      body.destroy();
      await rm(temp, { force: true });
      throw error;
    }
    return meter.result();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.file(key);
    if (!(await this.head(key))) throw new StorageError('not_found', 'no such file');
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      const info = await stat(this.file(key));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
