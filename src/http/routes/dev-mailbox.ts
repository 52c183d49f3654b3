import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OutboxMessage } from '../../data/schema.js';
import type { Deps } from '../../services/context.js';
import { getDevMailboxMessage, listDevMailbox, type MailboxCaller } from '../../services/dev-mailbox.js';
import { errorResponses as errors } from '../errors.js';
import { iso } from '../presenters.js';
import { email, pageQuery, uuid } from '../schemas/common.js';

const messageSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'DevMailboxMessage' });

const present = (m: OutboxMessage): z.infer<typeof messageSchema> => ({
  id: m.id,
  to: m.to_address,
  subject: m.subject,
  text: m.text_body,
  status: m.status,
  createdAt: m.created_at.toISOString(),
  sentAt: iso(m.sent_at),
});

const callerOf = (req: FastifyRequest): MailboxCaller => ({
  ip: req.ip,
  proxied: req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined,
});

/** Registered only when no SMTP server is configured: the emails the server would have sent. */
export function devMailboxRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/dev/mailbox', {
      config: { public: true },
      schema: {
        tags: ['dev'],
        summary: 'Emails written to the outbox, newest first (no SMTP server configured; answers requests from this machine only)',
        querystring: z.strictObject({ to: email.optional(), limit: pageQuery.limit }),
        response: { 200: z.object({ items: z.array(messageSchema) }), ...errors },
      },
      handler: async (req) => ({ items: (await listDevMailbox(deps, callerOf(req), req.query)).map(present) }),
    });

    app.get('/dev/mailbox/:id', {
      config: { public: true },
      schema: {
        tags: ['dev'],
        summary: 'One email of the dev mailbox (answers requests from this machine only)',
        params: z.strictObject({ id: uuid }),
        response: { 200: messageSchema, ...errors },
      },
      handler: async (req) => present(await getDevMailboxMessage(deps, callerOf(req), req.params.id)),
    });
  };
}
