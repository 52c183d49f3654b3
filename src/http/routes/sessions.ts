import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { getProfile } from '../../services/users/profile.js';
import { listSessions, revokeSession, signIn, signOut } from '../../services/users/sessions.js';
import { actorOf, CSRF_COOKIE, originOf, SESSION_COOKIE } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentUser, userSchema } from '../presenters.js';
import { startSession } from '../session-cookies.js';
import { email, okSchema, uuid } from '../schemas/common.js';
import { describeUserAgent } from '../../domain/user-agent.js';

// Signing in and out, and the sessions a user has open.

const sessionBody = z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.string() }).meta({ id: 'Session' });

export function sessionsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/sessions', {
      config: { public: true },
      schema: {
        tags: ['sessions'],
        summary: 'Sign in: sets the HttpOnly session cookie and returns the CSRF token',
        body: z.strictObject({ email, password: z.string().min(1).max(200) }),
        response: { 201: sessionBody, ...errors },
      },
      handler: async (req, reply) => {
        const session = await signIn(deps, req.body, originOf(req));
        return reply.code(201).send(startSession(deps.config, reply, session));
      },
    });

    app.get('/sessions', {
      schema: {
        tags: ['sessions'],
        summary: 'List your live sessions',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                ip: z.string().nullable().describe('The address the session was last used from'),
                userAgent: z.string().nullable(),
                device: z.string().nullable().describe('The browser and system its user agent names, as "Firefox 125 on Windows"; null when it names neither'),
                createdAt: z.string(),
                lastSeenAt: z.string(),
                current: z.boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
      handler: async (req) => {
        const rows = await listSessions(deps, actorOf(req));
        return {
          items: rows.map((s) => ({
            id: s.id,
            ip: s.ip,
            userAgent: s.user_agent,
            device: describeUserAgent(s.user_agent),
            createdAt: s.created_at.toISOString(),
            lastSeenAt: s.last_seen_at.toISOString(),
            current: s.current,
          })),
        };
      },
    });

    app.get('/sessions/current', {
      schema: { tags: ['sessions'], summary: 'Who you are, with the CSRF token of this session', response: { 200: z.object({ user: userSchema, csrfToken: z.string().nullable() }), ...errors } },
      handler: async (req) => ({ user: presentUser(await getProfile(deps, actorOf(req))), csrfToken: req.auth?.csrfToken ?? null }),
    });

    app.delete('/sessions/current', {
      schema: { tags: ['sessions'], summary: 'Sign out', response: { 200: okSchema, ...errors } },
      handler: async (req, reply) => {
        await signOut(deps, actorOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
        return { ok: true as const };
      },
    });

    app.delete('/sessions/:sessionId', {
      schema: { tags: ['sessions'], summary: 'Revoke one of your sessions', params: z.strictObject({ sessionId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await revokeSession(deps, actorOf(req), req.params.sessionId);
        return { ok: true as const };
      },
    });
  };
}
