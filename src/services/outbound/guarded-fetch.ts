import http from 'node:http';
import https from 'node:https';
import { checkWebhookUrl, type DestinationPolicy } from '../../domain/webhooks.js';
import { ForbiddenDestination, guardedLookup } from '../webhooks/destination.js';

/** An answer larger than this is not an identity provider's: the read stops there. */
const MAX_ANSWER_BYTES = 1024 * 1024;

interface FetchOptions {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

// openid-client sends form bodies (token requests) or nothing.
const bodyText = (body: unknown): string | undefined => (body instanceof URLSearchParams ? body.toString() : typeof body === 'string' ? body : undefined);

/**
 * A fetch for the server's own calls to addresses an account administrator gave (an identity
 * provider's issuer): the webhooks' rule of where it may connect (no server-side request
 * forgery), checked on the address the connection uses, a time limit, no redirects, and a bounded
 * answer. Shaped as the Fetch API so libraries that take a custom fetch can use it.
 */
export function guardedFetch(policy: DestinationPolicy, timeoutMs: number) {
  return (url: string, options: FetchOptions): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const checked = checkWebhookUrl(target, policy);
      if (!checked.ok) return reject(new ForbiddenDestination(checked.refusal.message));
      const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        { method: options.method, headers: options.headers, lookup: guardedLookup(policy), signal: AbortSignal.any(signals) },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) res.destroy(new Error(`${target.host} answered more than ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
            }
            const status = res.statusCode ?? 502;
            const empty = status === 204 || status === 304 || (status >= 100 && status < 200);
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      request.on('error', reject);
      request.end(bodyText(options.body));
    });
}
