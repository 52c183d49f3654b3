import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INVITATION_STATES, SKIP_REASONS } from '../../domain/invitation.js';
import { INVITATION_LANGUAGES } from '../../mail/templates.js';
import type { Deps } from '../../services/context.js';
import { acceptInvitation, previewInvitation } from '../../services/invitations/accept-invitation.js';
import { inviteMembers, type InvitationOptions } from '../../services/invitations/invite-members.js';
import { listAccountInvitations, resendInvitation, revokeInvitation } from '../../services/invitations/manage-invitations.js';
import { actorOf, originOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { invitationSchema, presentInvitation, presentUser, userSchema } from '../presenters.js';
import { accountIdParams, encodeCursor, pageQuery, password, personName, uuid } from '../schemas/common.js';
import { presentSent, sentSchema, typedEmails } from '../schemas/invitations.js';
import { cursorParam } from '../schemas/paging.js';
import { startSession } from '../session-cookies.js';

const role = z.enum(['admin', 'member']);
const lifetimeDays = z.number().int().min(1).max(90);
const options = {
  role: role.default('member'),
  language: z.enum(INVITATION_LANGUAGES).default('en'),
};

const invitationParams = accountIdParams.extend({ invitationId: uuid });
const tokenParams = z.strictObject({ token: z.string().min(10).max(200) });

const invitedSchema = sentSchema(invitationSchema, SKIP_REASONS);

// The invitee either has a user (and gives its password) or makes one here, by the sign-up rules.
const acceptBody = z
  .strictObject({
    password: z.string().min(1).max(200).optional(),
    firstName: personName.optional(),
    lastName: personName.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.firstName === undefined && b.lastName === undefined) return;
    for (const field of ['firstName', 'lastName'] as const) {
      if (b[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required' });
    }
    const checked = password.safeParse(b.password);
    if (!checked.success) ctx.addIssue({ code: 'custom', path: ['password'], message: checked.error.issues[0]?.message ?? 'is invalid' });
  });

export function invitationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/accounts/:accountId/invitations', {
      schema: {
        tags: ['invitations'],
        summary: 'Invite people by email to join the account (administrators with a confirmed email); entries that are not addresses are reported, the others invited',
        params: accountIdParams,
        body: z.strictObject({ emails: typedEmails(100), ...options, expiresInDays: lifetimeDays.default(14) }),
        response: { 201: invitedSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { emails, ...chosen } = req.body;
        return reply.code(201).send(presentSent(presentInvitation, await inviteMembers(deps, actorOf(req), req.params.accountId, { emails }, chosen)));
      },
    });

    app.post('/accounts/:accountId/invitations/csv', {
      schema: {
        tags: ['invitations'],
        summary: 'Invite the addresses of a CSV file: the column headed "email", or the first column (administrators)',
        consumes: ['text/csv'],
        params: accountIdParams,
        querystring: z.strictObject({ ...options, expiresInDays: z.coerce.number().pipe(lifetimeDays).default(14) }),
        body: z.string().meta({ description: 'The CSV file, at most 1 MB' }),
        response: { 201: invitedSchema, ...errors },
      },
      handler: async (req, reply) => {
        const chosen: InvitationOptions = req.query;
        return reply.code(201).send(presentSent(presentInvitation, await inviteMembers(deps, actorOf(req), req.params.accountId, { csv: req.body }, chosen)));
      },
    });

    app.get('/accounts/:accountId/invitations', {
      schema: {
        tags: ['invitations'],
        summary: "The account's invitations, newest first (administrators)",
        params: accountIdParams,
        querystring: z.strictObject({
          state: z.enum([...INVITATION_STATES, 'all']).default('all'),
          limit: pageQuery.limit,
          cursor: cursorParam(z.object({ createdAt: z.iso.datetime().transform((s) => new Date(s)), id: uuid })),
        }),
        response: { 200: z.object({ items: z.array(invitationSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...filter } = req.query;
        const page = await listAccountInvitations(deps, actorOf(req), req.params.accountId, { ...filter, after: cursor });
        return { items: page.items.map(presentInvitation), nextCursor: page.next === null ? null : encodeCursor(page.next) };
      },
    });

    app.post('/accounts/:accountId/invitations/:invitationId/resend', {
      schema: {
        tags: ['invitations'],
        summary: 'Email an open invitation again with a new link and a fresh expiry; the old link stops working (administrators)',
        params: invitationParams,
        response: { 200: z.object({ invitation: invitationSchema }), ...errors },
      },
      handler: async (req) => ({
        invitation: presentInvitation(await resendInvitation(deps, actorOf(req), req.params.accountId, req.params.invitationId)),
      }),
    });

    app.delete('/accounts/:accountId/invitations/:invitationId', {
      schema: {
        tags: ['invitations'],
        summary: 'Revoke an open invitation; its link stops working (administrators)',
        params: invitationParams,
        response: { 200: z.object({ invitation: invitationSchema }), ...errors },
      },
      handler: async (req) => ({
        invitation: presentInvitation(await revokeInvitation(deps, actorOf(req), req.params.accountId, req.params.invitationId)),
      }),
    });

    app.get('/invitations/:token', {
      config: { public: true },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link offers, for the join page',
        params: tokenParams,
        response: {
          200: z.object({
            accountName: z.string(),
            email: z.string(),
            role,
            expiresAt: z.string(),
            existingUser: z.boolean().meta({ description: 'Whether to ask for the existing password or for a name and a new password' }),
          }),
          ...errors,
        },
      },
      handler: async (req) => {
        const preview = await previewInvitation(deps, req.params.token);
        return { ...preview, expiresAt: preview.expiresAt.toISOString() };
      },
    });

    app.post('/invitations/:token/accept', {
      config: { public: true },
      schema: {
        tags: ['invitations'],
        summary: 'Join the account: signed in as the invited address, with the existing password, or as a new user; signs in',
        params: tokenParams,
        body: acceptBody,
        response: {
          200: z.object({ accountId: z.string(), role, user: userSchema, csrfToken: z.string().nullable().meta({ description: 'Set when this started a session' }) }),
          ...errors,
        },
      },
      handler: async (req, reply) => {
        const joined = await acceptInvitation(deps, req.params.token, req.body, req.auth?.actor ?? null, originOf(req));
        const session = joined.session ? startSession(deps.config, reply, joined.session) : null;
        return { accountId: joined.accountId, role: joined.role, user: presentUser(joined.user), csrfToken: session?.csrfToken ?? null };
      },
    });
  };
}
