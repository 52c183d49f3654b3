/**
 * Throughput of the file storage on both back ends: a generated file (1 GiB unless BENCH_STORAGE_MB
 * says otherwise) streamed in and out, with this process's peak resident memory — the figure that
 * shows a file never sits whole in memory. Printed only; nothing is asserted.
 *   npm run bench:storage            BENCH_STORAGE_MB=256 npm run bench:storage
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_SIZE_LIMITS } from '../../src/domain/stored-files.js';
import type { FileStorage } from '../../src/services/storage/file-storage.js';
import { openFileStorage } from '../../src/services/storage/open-storage.js';
import { startS3Server } from '../../test/support/s3-server.js';

const megabytes = Number(process.env['BENCH_STORAGE_MB'] ?? 1024);
const chunk = Buffer.alloc(1024 * 1024, 0x5a);

function generated(): Readable {
  let left = megabytes;
  return new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

async function measure(name: string, storage: FileStorage): Promise<void> {
  const rssBefore = process.memoryUsage.rss();
  peakRss = rssBefore;
  let started = performance.now();
  await storage.put('bench/file', generated(), { kind: 'installer', contentType: 'application/octet-stream' });
  const up = (performance.now() - started) / 1000;
  started = performance.now();
  await pipeline(await storage.get('bench/file'), new Writable({ write: (_c, _e, done) => done() }));
  const down = (performance.now() - started) / 1000;
  await storage.delete('bench/file');
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  console.log(
    `${name.padEnd(22)} ${megabytes} MiB  put ${(megabytes / up).toFixed(0)} MiB/s  get ${(megabytes / down).toFixed(0)} MiB/s  RSS before ${mb(rssBefore)} MiB, peak ${mb(peakRss)} MiB`,
  );
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-bench-files-'));
const s3 = await startS3Server();
try {
  await measure('data folder', openFileStorage({ location: { kind: 'folder', dir }, limits: DEFAULT_SIZE_LIMITS }));
  // s3rver runs in this same process, so the S3 line's memory includes the server's.
  await measure('S3 (s3rver, loopback)', openFileStorage({ ...s3.storage, limits: DEFAULT_SIZE_LIMITS }));
} finally {
  clearInterval(sampler);
  await s3.close();
  await rm(dir, { recursive: true, force: true });
}
