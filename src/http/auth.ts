import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from '../services/context.js';
import { authenticateApiToken, authenticateSession, type AuthenticatedSession } from '../services/users/sessions.js';
import { safeEqual } from '../services/security/secrets.js';

export const SESSION_COOKIE = 'keyline_session';
export const CSRF_COOKIE = 'keyline_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthenticatedSession | null;
  }
  interface FastifyContextConfig {
    /** Routes that anyone may call; every other route needs a session or an API token. */
    public?: boolean;
    /** Routes only vendor operators may call. */
    operator?: boolean;
    /** Installation-facing licensing routes: they authenticate the installation's own bearer token. */
    installation?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(deps: Deps, request: FastifyRequest): Promise<AuthenticatedSession | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const session = await authenticateApiToken(deps, header.slice(7).trim(), request.ip);
    if (!session) throw new AppError('token_invalid', 'The API token is invalid or revoked');
    return session;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? authenticateSession(deps, cookie, request.ip) : null;
}

/**
 * Resolves who is calling before the body is even validated, so an anonymous caller gets 401
 * and a cross-site form post gets 403 without learning anything about the input.
 * Cookie sessions must echo their CSRF token on unsafe methods; API tokens are not sent by
 * browsers on their own, so they need none.
 */
export function registerAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.installation) return;
    request.auth = await authenticate(deps, request);
    // A path with no route is simply not found, whoever asks.
    if (request.is404) return;
    // Checked on public routes too: a signed-in browser's cookie must never act for a forged form.
    if (request.auth?.csrfToken && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, request.auth.csrfToken)) {
        throw new AppError('csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
      }
    }
    if (config.public) return;
    if (!request.auth) throw new AppError('unauthenticated', 'Sign in first');
    if (config.operator && !request.auth.actor.isOperator) {
      throw new AppError('operator_only', 'Only vendor operators may do this');
    }
  });
}

/** The caller of a route that required authentication. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) throw new AppError('unauthenticated', 'Sign in first');
  return request.auth.actor;
}

/** Facts about the caller of a public route. */
export function originOf(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}
