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
}

const badPort = 'must be a port number from 0 to 65535';

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
  };
}
