import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { checkWebhookUrl, type DestinationPolicy } from '../../domain/webhooks.js';
import { guardedLookup } from './destination.js';

/** What one attempt came to, as the delivery log shows it. */
export interface AttemptResult {
  delivered: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** The log keeps this much of what a receiver answered, and no more is read. */
export const RESPONSE_EXCERPT_BYTES = 1024;
const ERROR_CHARS = 500;

/** Text as the log can keep it: no NUL, no lone surrogate, bounded. */
function storable(text: string, max: number): string {
  return text.replaceAll('\u0000', '').toWellFormed().slice(0, max);
}

export function failedAttempt(error: string, durationMs = 0): AttemptResult {
  return { delivered: false, statusCode: null, durationMs, error: storable(error, ERROR_CHARS), responseExcerpt: null };
}

function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}

function outcomeOf(statusCode: number, excerpt: Buffer): Omit<AttemptResult, 'durationMs'> {
  const responseExcerpt = excerpt.length ? storable(excerpt.toString('utf8'), RESPONSE_EXCERPT_BYTES) : null;
  if (statusCode >= 200 && statusCode < 300) return { delivered: true, statusCode, error: null, responseExcerpt };
  const error = statusCode >= 300 && statusCode < 400 ? `answered ${statusCode}: redirects are not followed` : `answered ${statusCode}`;
  return { delivered: false, statusCode, error, responseExcerpt };
}

/**
 * POSTs one signed delivery and says how it went; never throws. The whole exchange, connection
 * to answer, has `timeoutMs`, so a slow receiver costs one attempt and nothing else; redirects
 * are not followed (they could lead anywhere), and only the start of the answer is read.
 */
export function postWebhook(target: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; policy: DestinationPolicy }): Promise<AttemptResult> {
  const url = new URL(target);
  const checked = checkWebhookUrl(url, options.policy);
  if (!checked.ok) return Promise.resolve(failedAttempt(checked.refusal.message));
  const started = performance.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, durationMs: Math.round(performance.now() - started) });
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Keyline-Webhooks/1' },
        lookup: guardedLookup(options.policy),
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          read += chunk.length;
          if (read >= RESPONSE_EXCERPT_BYTES) response.destroy();
        });
        // The status decides; a body cut short by the timeout or by the excerpt's size changes nothing.
        response.on('error', () => undefined);
        response.on('close', () => finish(outcomeOf(response.statusCode ?? 0, Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES))));
      },
    );
    request.on('error', (err) => finish(failedAttempt(describeFailure(err, signal.aborted, options.timeoutMs))));
    request.end(body);
  });
}
