import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { loadConfig, type StorageConfig } from '../../src/config.js';

export interface S3TestServer {
  /** A KEYLINE_STORAGE_URL that reaches the bucket (a server process reads it from its environment). */
  url: string;
  /** The storage configuration of that URL, with the default size limits. */
  storage: StorageConfig;
  /** The folder s3rver keeps its objects in: a test can see that nothing was left there. */
  directory: string;
  close(): Promise<void>;
}

export const S3_BUCKET = 'keyline-test';

/** A real S3-compatible server (s3rver) on loopback with one empty bucket. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'keyline-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: S3_BUCKET }] });
  const { port } = await server.run();
  // s3rver accepts only its own fixed development credentials.
  const url = `s3://S3RVER:S3RVER@${S3_BUCKET}/files?endpoint=${encodeURIComponent(`http://127.0.0.1:${port}`)}`;
  return {
    url,
    storage: loadConfig({ KEYLINE_STORAGE_URL: url }).storage,
    directory,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
