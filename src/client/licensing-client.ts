import type { z } from 'zod';
import {
  activationResponseSchema,
  checkInResponseSchema,
  deactivationResponseSchema,
  jwksSchema,
  statusResponseSchema,
  type ActivationRequest,
  type ActivationResponse,
  type CheckInRequest,
  type CheckInResponse,
  type DeactivationResponse,
  type Jwks,
  type StatusResponse,
  type TrialRequest,
} from '../domain/licensing-protocol.js';

/** The server refused: `code` is one of LICENSING_ERROR_CODES, stable for a product to act on. */
export class LicensingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LicensingError';
  }
}

/** No answer, or an answer that is not the protocol's: the network, or the server, is down. */
export class ServerUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServerUnavailable';
  }
}

export interface ClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The installation side of PROTOCOL.md over HTTP; answers are checked against the protocol's schemas. */
export class LicensingClient {
  private readonly base: string;

  constructor(
    serverUrl: string,
    private readonly options: ClientOptions = {},
  ) {
    this.base = serverUrl.replace(/\/+$/, '');
  }

  async activate(body: ActivationRequest): Promise<{ created: boolean; activation: ActivationResponse }> {
    const { status, body: activation } = await this.call('POST', '/licensing/v1/activations', activationResponseSchema, { body });
    return { created: status === 201, activation };
  }

  async startTrial(body: TrialRequest): Promise<ActivationResponse> {
    return (await this.call('POST', '/licensing/v1/trials', activationResponseSchema, { body })).body;
  }

  async checkIn(token: string, body: CheckInRequest = {}): Promise<CheckInResponse> {
    return (await this.call('POST', '/licensing/v1/check-ins', checkInResponseSchema, { token, body })).body;
  }

  async status(token: string): Promise<StatusResponse> {
    return (await this.call('GET', '/licensing/v1/status', statusResponseSchema, { token })).body;
  }

  async deactivate(token: string): Promise<DeactivationResponse> {
    return (await this.call('POST', '/licensing/v1/deactivations', deactivationResponseSchema, { token })).body;
  }

  async jwks(): Promise<Jwks> {
    return (await this.call('GET', '/.well-known/keyline/jwks.json', jwksSchema, {})).body;
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, req: { token?: string; body?: unknown }): Promise<{ status: number; body: z.output<S> }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.token) headers['authorization'] = `Bearer ${req.token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.base}${path}`, {
        method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new ServerUnavailable(`Cannot reach the licensing server at ${this.base}`, { cause: err });
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (res.status >= 500) throw new ServerUnavailable(`The licensing server answered ${res.status}`);
    if (!res.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
      if (typeof error?.code !== 'string') throw new ServerUnavailable(`The licensing server answered ${res.status} without an error code`);
      throw new LicensingError(error.code, typeof error.message === 'string' ? error.message : error.code, res.status, (error.details ?? {}) as Record<string, unknown>);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ServerUnavailable(`The licensing server's answer to ${method} ${path} does not follow the protocol`);
    return { status: res.status, body: parsed.data };
  }
}
