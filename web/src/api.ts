// The portal's only way to the server: the same public HTTP API everyone else uses, typed by the
// server's own OpenAPI document (generated/api.d.ts, `npm run api:types`), so a server change
// that breaks a page fails the typecheck instead of the page.
import createClient, { type ClientPathsWithMethod, type MethodResponse } from 'openapi-fetch';
import type { components, paths } from './generated/api';
import { issueInWords, type Problem } from '../../src/domain/issue-words';

/** The shapes the server names in its document. */
export type Schemas = components['schemas'];

export const api = createClient<paths>({ credentials: 'same-origin', headers: { accept: 'application/json' } });

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What an operation answers when it succeeds, e.g. `Answer<'get', '/api/v1/me'>`. */
export type Answer<M extends Method, P extends ClientPathsWithMethod<typeof api, M>> = MethodResponse<typeof api, M, P>;
type Operation<M extends Method, P extends ClientPathsWithMethod<typeof api, M>> = paths[P][M];

/** What an operation takes as its JSON body. */
export type RequestBody<M extends Method, P extends ClientPathsWithMethod<typeof api, M>> =
  Operation<M, P> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters an operation takes. */
export type Query<M extends Method, P extends ClientPathsWithMethod<typeof api, M>> = Operation<M, P> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type User = Schemas['User'];
export type MyAccount = Answer<'get', '/api/v1/me'>['accounts'][number];
export type SubscriptionSummary = Schemas['SubscriptionSummary'];
export type LicenseKeyRow = Schemas['LicenseKeyRow'];
export type SubscriptionDetails = Schemas['SubscriptionDetails'];
export type SubscriptionProduct = SubscriptionDetails['products'][number];
export type ProductSeats = Schemas['ProductSeats'];

/** An error answer of the API: its message in words, and what it says about which fields. */
export class ApiError extends Error {
  readonly fields: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    // The first problem to name a field is the one said there.
    this.fields = Object.fromEntries(problems.flatMap((p) => Object.entries(p.fields)).reverse());
  }
}

// The document types `details` as any object: these are the two forms the portal reads of it.
type ErrorBody = { error?: Partial<Omit<Schemas['Error']['error'], 'details'>> & { details?: { field?: unknown; issues?: { path?: string; message?: string }[] } } };

function problemsOf(details: NonNullable<ErrorBody['error']>['details'], message: string): Problem[] {
  const problems = typeof details?.field === 'string' ? [{ fields: { [details.field]: message }, sentence: message }] : [];
  for (const issue of details?.issues ?? []) if (typeof issue.path === 'string') problems.push(issueInWords(issue.path, issue.message ?? 'is invalid'));
  return problems;
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the session (from sign-in, or GET /sessions/current after a reload). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

api.use({
  onRequest: ({ request }) => {
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
  },
  onError: () => new ApiError(0, 'network', 'The server cannot be reached; check your connection and try again'),
});

/** The body of a call's successful answer; any other answer is thrown as its ApiError. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const err = (error as ErrorBody | undefined)?.error;
  const message = err?.message ?? `The server answered ${response.status}`;
  const problems = problemsOf(err?.details, message);
  // The server's "Invalid request: a.b: …" names the request's parts; people read the same in words.
  const worded = err?.code === 'validation_failed' && problems.length > 0 ? problems.map((p) => p.sentence).join('. ') : message;
  throw new ApiError(response.status, err?.code ?? 'unknown', worded, problems);
}

/** Sends a CSV file as it is (the invitation uploads), answered in JSON like every other call. */
export const csvBody = (csv: string) => ({ body: csv, bodySerializer: (text: string) => text, headers: { 'content-type': 'text/csv' } });

/** The address of a CSV download: a plain link, so the browser saves the file the server names. Unset parameters are left out. */
export function downloadHref(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams(Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
  return `/api/v1${path}${params.size ? `?${params}` : ''}`;
}

/** The message of any error thrown by a call, for the places that show it in one line. */
export const errorMessage = (err: unknown) => (err instanceof ApiError ? err.message : 'Something went wrong');

export const accountPath = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}`;
