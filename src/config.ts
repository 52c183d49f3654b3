import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SIZE_LIMITS, type FileKind } from './domain/stored-files.js';

/** Configuration read from the environment; a bad value stops the start with its name. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  /** Runs the outbox worker and other jobs inside this server process. */
  runJobs: boolean;
  /** Activations one license key may make per 10 minutes; 0 turns the limit off (benchmarks). */
  activationsPerKey: number;
  /** The key secrets kept for later use (webhook signing secrets) are encrypted with; unset: a key file in dataDir. */
  secretKey: Buffer | undefined;
  storage: StorageConfig;
  webhooks: {
    /** Endpoints may target loopback, private and other non-public addresses (a receiver on this machine or network). */
    allowPrivate: boolean;
    /** Endpoints may use plain http:// (the payloads and signatures travel readable). */
    allowHttp: boolean;
    /** How long one delivery may take, connection to last byte, before it counts as failed. */
    timeoutMs: number;
  };
  /** The server's calls to identity providers that account administrators configure (single sign-on). */
  sso: {
    /** Issuers may be on loopback, private and other non-public addresses (an identity provider inside the network). */
    allowPrivate: boolean;
    /** Issuers may use plain http:// (development and tests only: tokens travel readable). */
    allowHttp: boolean;
    timeoutMs: number;
  };
}

/** Where kept files (downloads, attachments) live, and how large each kind may be. */
export interface StorageConfig {
  location: { kind: 'folder'; dir: string } | S3StorageLocation;
  limits: Record<FileKind, number>;
}

export interface S3StorageLocation {
  kind: 's3';
  bucket: string;
  /** Keys go under this prefix in the bucket: "" or ending in "/". */
  prefix: string;
  /** An S3-compatible server's address; unset: AWS's own for the region. */
  endpoint: string | undefined;
  region: string;
  /** Bucket in the path (http://host/bucket/key), as most S3-compatible servers want. */
  forcePathStyle: boolean;
  /** Unset: the AWS SDK's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

const S3_URL_HELP = 'must be s3://[key:secret@]bucket[/prefix][?endpoint=http://host:port&region=us-east-1&path_style=true]';

/** Reads KEYLINE_STORAGE_URL; an unknown parameter is refused rather than silently ignored. */
function parseStorageUrl(value: string, ctx: z.RefinementCtx): S3StorageLocation | typeof z.NEVER {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: S3_URL_HELP });
    return z.NEVER;
  }
  const known = new Set(['endpoint', 'region', 'path_style']);
  const unknown = [...url.searchParams.keys()].filter((k) => !known.has(k));
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  const pathStyle = url.searchParams.get('path_style');
  if (url.protocol !== 's3:' || !url.hostname || unknown.length || (pathStyle !== null && !['true', 'false'].includes(pathStyle)) || (endpoint && !/^https?:\/\/[^/]/.test(endpoint))) {
    ctx.addIssue({ code: 'custom', message: S3_URL_HELP });
    return z.NEVER;
  }
  const prefix = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  return {
    kind: 's3',
    bucket: url.hostname,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    endpoint,
    region: url.searchParams.get('region') ?? 'us-east-1',
    forcePathStyle: pathStyle === null ? endpoint !== undefined : pathStyle === 'true',
    credentials: url.username ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) } : undefined,
  };
}

const sizeLimit = z.coerce.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1, 'must be at least 1 byte');

const badPort = 'must be a port number from 0 to 65535';
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).default('false');

const envSchema = z.object({
  KEYLINE_HOST: z.string().min(1).default('127.0.0.1'),
  KEYLINE_PORT: z.coerce.number({ error: badPort }).int(badPort).min(0, badPort).max(65535, badPort).default(8080),
  KEYLINE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // Links in emails open in a browser: only http(s) makes sense there.
  KEYLINE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  KEYLINE_MAIL_FROM: z.string().min(3).default('Keyline <no-reply@keyline.local>'),
  KEYLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEYLINE_JOBS: z.enum(['on', 'off']).default('on'),
  KEYLINE_ACTIVATIONS_PER_KEY: z.coerce.number().int().min(0).default(600),
  KEYLINE_SECRET_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .transform((v) => Buffer.from(v, 'base64'))
    .optional(),
  KEYLINE_STORAGE_URL: z.string().transform(parseStorageUrl).optional(),
  KEYLINE_STORAGE_LIMIT_INSTALLER: sizeLimit.default(DEFAULT_SIZE_LIMITS.installer),
  KEYLINE_STORAGE_LIMIT_DOCUMENTATION: sizeLimit.default(DEFAULT_SIZE_LIMITS.documentation),
  KEYLINE_STORAGE_LIMIT_ATTACHMENT: sizeLimit.default(DEFAULT_SIZE_LIMITS.attachment),
  KEYLINE_WEBHOOKS_ALLOW_PRIVATE: flag,
  KEYLINE_WEBHOOKS_ALLOW_HTTP: flag,
  KEYLINE_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  KEYLINE_SSO_ALLOW_PRIVATE: flag,
  KEYLINE_SSO_ALLOW_HTTP: flag,
  KEYLINE_SSO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.KEYLINE_DATA_DIR);
  return {
    host: e.KEYLINE_HOST,
    port: e.KEYLINE_PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.KEYLINE_PUBLIC_URL ?? `http://${e.KEYLINE_HOST}:${e.KEYLINE_PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.KEYLINE_MAIL_FROM,
    logLevel: e.KEYLINE_LOG_LEVEL,
    runJobs: e.KEYLINE_JOBS === 'on',
    activationsPerKey: e.KEYLINE_ACTIVATIONS_PER_KEY,
    secretKey: e.KEYLINE_SECRET_KEY,
    storage: {
      location: e.KEYLINE_STORAGE_URL ?? { kind: 'folder', dir: path.join(dataDir, 'files') },
      limits: {
        installer: e.KEYLINE_STORAGE_LIMIT_INSTALLER,
        documentation: e.KEYLINE_STORAGE_LIMIT_DOCUMENTATION,
        attachment: e.KEYLINE_STORAGE_LIMIT_ATTACHMENT,
      },
    },
    webhooks: {
      allowPrivate: e.KEYLINE_WEBHOOKS_ALLOW_PRIVATE === 'true',
      allowHttp: e.KEYLINE_WEBHOOKS_ALLOW_HTTP === 'true',
      timeoutMs: e.KEYLINE_WEBHOOKS_TIMEOUT_MS,
    },
    sso: {
      allowPrivate: e.KEYLINE_SSO_ALLOW_PRIVATE === 'true',
      allowHttp: e.KEYLINE_SSO_ALLOW_HTTP === 'true',
      timeoutMs: e.KEYLINE_SSO_TIMEOUT_MS,
    },
  };
}
