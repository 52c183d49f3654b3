import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/users/api-tokens.js';
import { confirmEmail, resendEmailConfirmation } from '../../services/users/email-verification.js';
import { changePassword, requestPasswordReset, resetPassword } from '../../services/users/passwords.js';
import { getProfile, listMyAccounts, updateProfile } from '../../services/users/profile.js';
import { listSessions, revokeSession, signIn, signOut } from '../../services/users/sessions.js';
import { signUp } from '../../services/users/sign-up.js';
import { actorOf, CSRF_COOKIE, originOf, SESSION_COOKIE } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentUser, userSchema } from '../presenters.js';
import { startSession } from '../session-cookies.js';
import { companySchema, email, okSchema, password, personName, uuid } from '../schemas/common.js';

const sessionBody = z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.string() }).meta({ id: 'Session' });

const myAccountSchema = z.object({
  id: z.string(),
  kind: z.enum(['personal', 'business']),
  name: z.string(),
  supportCode: z.string(),
  role: z.enum(['admin', 'member']),
  status: z.enum(['active', 'blocked']),
});

export function usersRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/signup', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Create a personal account (and a business account when a company is given)',
        body: z.strictObject({
          email,
          firstName: personName,
          lastName: personName,
          password,
          company: companySchema.optional(),
        }),
        response: { 201: z.object({ user: userSchema, businessAccountId: z.string().nullable() }), ...errors },
      },
      handler: async (req, reply) => {
        const { user, businessAccountId } = await signUp(deps, req.body, originOf(req));
        return reply.code(201).send({ user: presentUser(user), businessAccountId });
      },
    });

    app.post('/email-verification', {
      config: { public: true },
      schema: { tags: ['users'], summary: 'Confirm an email address with the emailed token', body: z.strictObject({ token: z.string().min(10).max(200) }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await confirmEmail(deps, req.body.token);
        return { ok: true as const };
      },
    });

    app.post('/email-verification/resend', {
      schema: { tags: ['users'], summary: 'Send the confirmation email again', response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await resendEmailConfirmation(deps, actorOf(req));
        return { ok: true as const };
      },
    });

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
              z.object({ id: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable(), createdAt: z.string(), lastSeenAt: z.string(), current: z.boolean() }),
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

    app.post('/password-resets', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Email a single-use password reset link (the answer is the same for unknown addresses)',
        body: z.strictObject({ email }),
        response: { 202: okSchema, ...errors },
      },
      handler: async (req, reply) => {
        await requestPasswordReset(deps, req.body.email, originOf(req));
        return reply.code(202).send({ ok: true as const });
      },
    });

    app.post('/password-resets/confirm', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Set a new password with the emailed token; every session ends',
        body: z.strictObject({ token: z.string().min(10).max(200), password }),
        response: { 200: okSchema, ...errors },
      },
      handler: async (req) => {
        await resetPassword(deps, req.body, originOf(req));
        return { ok: true as const };
      },
    });

    app.get('/me', {
      schema: { tags: ['users'], summary: 'Your profile and the accounts you can switch between', response: { 200: z.object({ user: userSchema, accounts: z.array(myAccountSchema) }), ...errors } },
      handler: async (req) => {
        const actor = actorOf(req);
        const [user, accounts] = await Promise.all([getProfile(deps, actor), listMyAccounts(deps, actor)]);
        return {
          user: presentUser(user),
          accounts: accounts.map((a) => ({ id: a.id, kind: a.kind, name: a.name, supportCode: a.support_code, role: a.role, status: a.status })),
        };
      },
    });

    app.patch('/me', {
      schema: {
        tags: ['users'],
        summary: 'Edit your personal profile',
        body: z.strictObject({ firstName: personName.optional(), lastName: personName.optional() }),
        response: { 200: z.object({ user: userSchema }), ...errors },
      },
      handler: async (req) => ({ user: presentUser(await updateProfile(deps, actorOf(req), req.body)) }),
    });

    app.post('/me/password', {
      schema: {
        tags: ['users'],
        summary: 'Change your password; your other sessions end',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password }),
        response: { 200: okSchema, ...errors },
      },
      handler: async (req) => {
        await changePassword(deps, actorOf(req), req.body);
        return { ok: true as const };
      },
    });

    const tokenSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
    const presentToken = (t: { id: string; name: string; created_at: Date; last_used_at: Date | null }) => ({
      id: t.id,
      name: t.name,
      createdAt: t.created_at.toISOString(),
      lastUsedAt: t.last_used_at?.toISOString() ?? null,
    });

    app.post('/me/api-tokens', {
      schema: {
        tags: ['users'],
        summary: 'Create an API token for integrations and the CLI (shown once)',
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 201: tokenSchema.extend({ token: z.string() }), ...errors },
      },
      handler: async (req, reply) => {
        const t = await createApiToken(deps, actorOf(req), req.body.name);
        return reply.code(201).send({ ...presentToken(t), token: t.token });
      },
    });

    app.get('/me/api-tokens', {
      schema: { tags: ['users'], summary: 'List your API tokens', response: { 200: z.object({ items: z.array(tokenSchema) }), ...errors } },
      handler: async (req) => ({ items: (await listApiTokens(deps, actorOf(req))).map(presentToken) }),
    });

    app.delete('/me/api-tokens/:tokenId', {
      schema: { tags: ['users'], summary: 'Revoke an API token', params: z.strictObject({ tokenId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await revokeApiToken(deps, actorOf(req), req.params.tokenId);
        return { ok: true as const };
      },
    });
  };
}
