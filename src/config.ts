import path from 'node:path';
import { z } from 'zod';

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
  webhooks: {
    /** Endpoints may target loopback, private and other non-public addresses (a receiver on this machine or network). */
    allowPrivate: boolean;
    /** Endpoints may use plain http:// (the payloads and signatures travel readable). */
    allowHttp: boolean;
    /** How long one delivery may take, connection to last byte, before it counts as failed. */
    timeoutMs: number;
  };
}

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
  KEYLINE_WEBHOOKS_ALLOW_PRIVATE: flag,
  KEYLINE_WEBHOOKS_ALLOW_HTTP: flag,
  KEYLINE_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
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
  return {
    host: e.KEYLINE_HOST,
    port: e.KEYLINE_PORT,
    dataDir: path.resolve(e.KEYLINE_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.KEYLINE_PUBLIC_URL ?? `http://${e.KEYLINE_HOST}:${e.KEYLINE_PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.KEYLINE_MAIL_FROM,
    logLevel: e.KEYLINE_LOG_LEVEL,
    runJobs: e.KEYLINE_JOBS === 'on',
    activationsPerKey: e.KEYLINE_ACTIVATIONS_PER_KEY,
    secretKey: e.KEYLINE_SECRET_KEY,
    webhooks: {
      allowPrivate: e.KEYLINE_WEBHOOKS_ALLOW_PRIVATE === 'true',
      allowHttp: e.KEYLINE_WEBHOOKS_ALLOW_HTTP === 'true',
      timeoutMs: e.KEYLINE_WEBHOOKS_TIMEOUT_MS,
    },
  };
}
