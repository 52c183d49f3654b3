import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature (standardwebhooks.com): HMAC-SHA256 of `id.timestamp.body`
 * with the secret's bytes (the base64 after `whsec_`), sent as `v1,<base64>`. Receivers verify
 * it with any Standard Webhooks library and refuse an old timestamp, so a captured delivery
 * cannot be replayed later.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * The headers of one delivery attempt. With several secrets (the new one and, for a while after
 * a rotation, the previous one) the signatures are space-separated, and a receiver that still
 * has the old secret verifies as well as one that has the new.
 */
export function webhookHeaders(secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => webhookSignature(s, id, timestamp, body)).join(' '),
  };
}
