import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INVITATION_LANGUAGES } from '../../mail/templates.js';
import type { Deps } from '../../services/context.js';
import { inviteToInstall, type InstallInvitationView } from '../../services/install-invitations/invite-to-install.js';
import {
  exportInstallInvitations,
  listAccountInstallInvitations,
  resendInstallInvitation,
  revokeInstallInvitation,
} from '../../services/install-invitations/manage-install-invitations.js';
import { actorOf } from '../auth.js';
import { sendCsv, type CsvColumn } from '../csv.js';
import { errorResponses as errors } from '../errors.js';
import { installInvitationSchema, presentInstallInvitation } from '../install-invitation-presenters.js';
import { accountIdParams, encodeCursor, pageQuery, uuid } from '../schemas/common.js';
import { presentSent, sentSchema, typedEmails } from '../schemas/invitations.js';
import { cursorParam } from '../schemas/paging.js';

const tags = ['install-invitations'];
const lifetimeDays = z.number().int().min(1).max(90);
const language = z.enum(INVITATION_LANGUAGES).default('en');
const invitationParams = accountIdParams.extend({ invitationId: uuid });

const sent = sentSchema(installInvitationSchema, ['already_invited', 'duplicate']);
const present = (r: Awaited<ReturnType<typeof inviteToInstall>>) => presentSent(presentInstallInvitation, r);

const csvColumns: CsvColumn<InstallInvitationView>[] = [
  { header: 'email', value: (i) => i.email },
  { header: 'code', value: (i) => i.code_text },
  { header: 'link', value: (i) => i.downloadLinks.join(' ') },
  { header: 'status', value: (i) => i.status },
  { header: 'expires', value: (i) => i.expires_at.toISOString() },
  { header: 'key', value: (i) => i.key_name },
  { header: 'times_sent', value: (i) => i.sent_count },
  { header: 'last_sent', value: (i) => i.last_sent_at.toISOString() },
];

/** Invitations to install (capability 8): account administrators, and License Administrators for their keys. */
export function installInvitationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  /** A change to one invitation (send again, revoke), answered with the invitation as it now is. */
  const oneInvitation = (summary: string, change: typeof revokeInstallInvitation) => ({
    schema: { tags, summary, params: invitationParams, response: { 200: z.object({ invitation: installInvitationSchema }), ...errors } },
    handler: async (req: FastifyRequest<{ Params: z.infer<typeof invitationParams> }>) => ({
      invitation: presentInstallInvitation(await change(deps, actorOf(req), req.params.accountId, req.params.invitationId)),
    }),
  });

  return async (app) => {
    app.post('/accounts/:accountId/install-invitations', {
      schema: {
        tags,
        summary:
          'Email each address its own temporary activation code for a key and the download link; entries that are not addresses are reported, and addresses with a pending invitation for the key are skipped',
        params: accountIdParams,
        body: z.strictObject({
          keyId: uuid,
          language,
          expiresInDays: lifetimeDays.default(7),
          emails: typedEmails(1000),
        }),
        response: { 201: sent, ...errors },
      },
      handler: async (req, reply) => {
        const { emails, ...options } = req.body;
        return reply.code(201).send(present(await inviteToInstall(deps, actorOf(req), req.params.accountId, { emails }, options)));
      },
    });

    app.post('/accounts/:accountId/install-invitations/csv', {
      schema: {
        tags,
        summary: 'The same for the addresses of a CSV file: the column headed "email", or the first column',
        consumes: ['text/csv'],
        params: accountIdParams,
        querystring: z.strictObject({ keyId: uuid, language, expiresInDays: z.coerce.number().pipe(lifetimeDays).default(7) }),
        body: z.string().meta({ description: 'The CSV file, at most 1 MB' }),
        response: { 201: sent, ...errors },
      },
      handler: async (req, reply) =>
        reply.code(201).send(present(await inviteToInstall(deps, actorOf(req), req.params.accountId, { csv: req.body }, req.query))),
    });

    app.get('/accounts/:accountId/install-invitations', {
      schema: {
        tags,
        summary: 'The invitations to install, newest first, with their status (pending, used, expired, revoked)',
        params: accountIdParams,
        querystring: z.strictObject({
          keyId: uuid.optional(),
          limit: pageQuery.limit,
          cursor: cursorParam(z.object({ createdAt: z.iso.datetime().transform((s) => new Date(s)), id: uuid })),
        }),
        response: { 200: z.object({ items: z.array(installInvitationSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...filter } = req.query;
        const page = await listAccountInstallInvitations(deps, actorOf(req), req.params.accountId, { ...filter, after: cursor });
        return { items: page.items.map(presentInstallInvitation), nextCursor: page.next === null ? null : encodeCursor(page.next) };
      },
    });

    app.get('/accounts/:accountId/install-invitations.csv', {
      schema: {
        tags,
        summary: 'Download the invitations to install as CSV: email, code, link, status, expires, key, times_sent, last_sent',
        params: accountIdParams,
        querystring: z.strictObject({ keyId: uuid.optional() }),
        produces: ['text/csv'],
        response: { 200: z.string().meta({ description: 'email,code,link,status,expires,key,times_sent,last_sent' }), ...errors },
      },
      handler: async (req, reply) => {
        const rows = await exportInstallInvitations(deps, actorOf(req), req.params.accountId, req.query.keyId);
        return sendCsv(reply, `install-invitations-${deps.clock.now().toISOString().slice(0, 10)}.csv`, csvColumns, rows);
      },
    });

    app.post(
      '/accounts/:accountId/install-invitations/:invitationId/resend',
      oneInvitation(
        'Email a pending invitation to install again: the same code, link and expiry, in its language; a used, revoked or expired one is refused',
        resendInstallInvitation,
      ),
    );
    app.delete('/accounts/:accountId/install-invitations/:invitationId', oneInvitation('Revoke an invitation to install: its code stops working at once', revokeInstallInvitation));
  };
}
