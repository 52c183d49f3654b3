import type { StorageConfig } from '../../config.js';
import type { Deps } from '../context.js';
import type { FileStorage } from './file-storage.js';
import { FolderStorage } from './folder-storage.js';
import { S3Storage } from './s3-storage.js';

export function openFileStorage(config: StorageConfig): FileStorage {
  const { location, limits } = config;
  if (location.kind === 'folder') return new FolderStorage(location.dir, limits);
  return new S3Storage(
    {
      bucket: location.bucket,
      prefix: location.prefix,
      client: {
        region: location.region,
        forcePathStyle: location.forcePathStyle,
        ...(location.endpoint ? { endpoint: location.endpoint } : {}),
        ...(location.credentials ? { credentials: location.credentials } : {}),
      },
    },
    limits,
  );
}

// One client per configuration (an S3 client keeps its connection pool); it holds no data.
const opened = new WeakMap<StorageConfig, FileStorage>();

/** The file storage of the configuration the use case runs with. */
export function fileStorage(deps: Pick<Deps, 'config'>): FileStorage {
  let storage = opened.get(deps.config.storage);
  if (!storage) {
    storage = openFileStorage(deps.config.storage);
    opened.set(deps.config.storage, storage);
  }
  return storage;
}
