import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import type { components, paths } from '../../web/src/generated/api.js';

/**
 * The HTTP client the `keyline vendor` commands talk to the API with, typed by the server's
 * OpenAPI document (web/src/generated/api.d.ts, `npm run api:types`). Every failure, whether the
 * API refused or the server could not be reached, becomes an ApiError whose message reads
 * "code: message", the line a script or a person sees.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ApiError';
  }
}

export type ApiClient = Client<paths>;

/** The shapes the server names in its document. */
export type Schemas = components['schemas'];

/** A client of the server's API; with a token, every request carries it as a Bearer token. */
export function apiClient(server: string, token: string | null = null): ApiClient {
  const base = server.replace(/\/+$/, '');
  const client = createClient<paths>({ baseUrl: base, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  client.use({
    onError: ({ error }) => {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      return new ApiError(null, 'unreachable', `cannot reach ${base}: ${cause}`);
    },
  });
  return client;
}

export interface ApiReply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The successful answer of a call with its status and headers; a refusal is thrown as its ApiError. */
export async function reply<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<ApiReply<T>> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const refusal = typeof error === 'object' && error !== null ? (error as { error?: { code?: unknown; message?: unknown } }).error : undefined;
    const code = typeof refusal?.code === 'string' ? refusal.code : `http_${response.status}`;
    throw new ApiError(response.status, code, typeof refusal?.message === 'string' ? refusal.message : response.statusText);
  }
  return { status: response.status, body: data as T, headers: response.headers };
}
