/**
 * The small HTTP client the `keyline vendor` commands talk to the API with. Every failure,
 * whether the API refused or the server could not be reached, becomes an ApiError whose message
 * reads "code: message", the line a script or a person sees.
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

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
}

export interface ApiReply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class HttpClient {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string | null = null,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiReply<T>> {
    const url = new URL(this.base + path);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      throw new ApiError(null, 'unreachable', `cannot reach ${this.base}: ${cause}`);
    }
    const text = await res.text();
    const body = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text;
    if (!res.ok) {
      const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
      const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
      throw new ApiError(res.status, code, typeof error?.message === 'string' ? error.message : res.statusText);
    }
    return { status: res.status, body: body as T, headers: res.headers };
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, body: unknown = {}) {
    return this.request<T>('POST', path, { body });
  }

  put<T>(path: string, body: unknown) {
    return this.request<T>('PUT', path, { body });
  }

  delete<T>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
