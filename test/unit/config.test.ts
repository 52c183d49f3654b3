import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('runs on this machine with an embedded database and the dev mailbox when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: path.resolve('data'),
      databaseUrl: undefined,
      publicUrl: 'http://127.0.0.1:8080',
      smtpUrl: undefined,
      runJobs: true,
      secretKey: undefined,
      webhooks: { allowPrivate: false, allowHttp: false, timeoutMs: 10_000 },
    });
  });

  it('takes the secret key and what webhooks may reach', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({ KEYLINE_SECRET_KEY: key.toString('base64'), KEYLINE_WEBHOOKS_ALLOW_PRIVATE: 'true', KEYLINE_WEBHOOKS_ALLOW_HTTP: 'true', KEYLINE_WEBHOOKS_TIMEOUT_MS: '2500' });
    expect(config.secretKey).toEqual(key);
    expect(config.webhooks).toEqual({ allowPrivate: true, allowHttp: true, timeoutMs: 2500 });
  });

  it('keeps files in the data folder unless a bucket is configured, with a size limit per kind', () => {
    expect(loadConfig({ KEYLINE_DATA_DIR: '/srv/keyline' }).storage).toEqual({
      location: { kind: 'folder', dir: path.resolve('/srv/keyline/files') },
      limits: { installer: 8 * 1024 ** 3, documentation: 512 * 1024 ** 2, attachment: 25 * 1024 ** 2 },
    });
    expect(loadConfig({ KEYLINE_STORAGE_LIMIT_ATTACHMENT: '1000' }).storage.limits.attachment).toBe(1000);
  });

  it('reads an S3-compatible bucket from KEYLINE_STORAGE_URL', () => {
    expect(loadConfig({ KEYLINE_STORAGE_URL: 's3://releases' }).storage.location).toEqual({
      kind: 's3', bucket: 'releases', prefix: '', endpoint: undefined, region: 'us-east-1', forcePathStyle: false, credentials: undefined,
    });
    expect(loadConfig({ KEYLINE_STORAGE_URL: 's3://AK:s%2Fecret@files/keyline?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1' }).storage.location).toEqual({
      kind: 's3', bucket: 'files', prefix: 'keyline/', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1', forcePathStyle: true,
      credentials: { accessKeyId: 'AK', secretAccessKey: 's/ecret' },
    });
  });

  it.each(['http://bucket', 's3://', 's3://b?endpont=x', 's3://b?path_style=yes', 's3://b?endpoint=ftp://x', 'not a url'])('refuses the storage URL %s by name', (url) => {
    expect(() => loadConfig({ KEYLINE_STORAGE_URL: url })).toThrow(/KEYLINE_STORAGE_URL: must be s3:\/\//);
  });

  it.each(['0', '-5', '1.5', 'lots'])('refuses the size limit %s', (limit) => {
    expect(() => loadConfig({ KEYLINE_STORAGE_LIMIT_INSTALLER: limit })).toThrow(/KEYLINE_STORAGE_LIMIT_INSTALLER/);
  });

  it('takes the environment, treating an empty variable as unset', () => {
    const config = loadConfig({
      KEYLINE_HOST: '0.0.0.0',
      KEYLINE_PORT: '9000',
      KEYLINE_DATA_DIR: '/var/lib/keyline',
      DATABASE_URL: 'postgres://keyline@db:5432/keyline',
      KEYLINE_PUBLIC_URL: 'https://licenses.example.com/',
      SMTP_URL: '',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/keyline',
      databaseUrl: 'postgres://keyline@db:5432/keyline',
      publicUrl: 'https://licenses.example.com',
      smtpUrl: undefined,
    });
  });

  it.each([
    ['KEYLINE_PORT', 'abc'],
    ['KEYLINE_PORT', '70000'],
    ['KEYLINE_PORT', '80.5'],
    ['DATABASE_URL', 'mysql://db/keyline'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['KEYLINE_PUBLIC_URL', 'not a url'],
    ['KEYLINE_PUBLIC_URL', 'ftp://files.example.com'],
    ['KEYLINE_SECRET_KEY', 'c2hvcnQ='],
    ['KEYLINE_SECRET_KEY', 'not base64 at all, but long enough to be 32 bytes'],
    ['KEYLINE_WEBHOOKS_ALLOW_PRIVATE', 'yes'],
    ['KEYLINE_WEBHOOKS_TIMEOUT_MS', '5'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe('keyline serve with a bad setting', () => {
  it('exits with code 2 and names the variable before touching any data', () => {
    const dataDir = path.join(os.tmpdir(), `keyline-never-created-${process.pid}`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, KEYLINE_PORT: 'abc', KEYLINE_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KEYLINE_PORT: must be a port number');
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
