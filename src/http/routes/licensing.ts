import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  activationRequestSchema,
  activationResponseSchema,
  checkInRequestSchema,
  checkInResponseSchema,
  deactivationResponseSchema,
  jwksSchema,
  statusResponseSchema,
  trialRequestSchema,
} from '../../domain/licensing-protocol.js';
import { AppError } from '../../domain/errors.js';
import type { Deps } from '../../services/context.js';
import { activateInstallation } from '../../services/licensing/activate-installation.js';
import { checkIn } from '../../services/licensing/check-in.js';
import { deactivateFromInstallation } from '../../services/licensing/deactivate-installation.js';
import { installationStatus } from '../../services/licensing/installation-status.js';
import { publicKeySet } from '../../services/licensing/signing.js';
import { startTrial } from '../../services/licensing/start-trial.js';
import { originOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';

// Installations are not users: no session, no cookie; later calls carry the installation's own token.
const installation = { installation: true } as const;
const tags = ['licensing'];
const bearer = [{ installationToken: [] }];

function installationToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token) throw new AppError('unauthenticated', 'Send the installation token as Authorization: Bearer <installationToken>');
  return token;
}

/** The installation-facing licensing API of PROTOCOL.md. */
export function licensingRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/.well-known/keyline/jwks.json', {
      config: installation,
      schema: { tags, summary: "The server's public signing keys (JWK Set)", security: [], response: { 200: jwksSchema } },
      handler: async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(await publicKeySet(deps)),
    });

    app.post('/licensing/v1/activations', {
      config: installation,
      schema: {
        tags,
        summary: 'Activate an installation with a license key or a temporary activation code (201 new, 200 when this machine is already active on the key)',
        security: [],
        body: activationRequestSchema,
        response: { 200: activationResponseSchema, 201: activationResponseSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { created, activation } = await activateInstallation(deps, req.body, originOf(req));
        return reply.code(created ? 201 : 200).send(activation);
      },
    });

    app.post('/licensing/v1/check-ins', {
      config: installation,
      schema: { tags, summary: 'Report in: usage and details; get a fresh certificate and pending actions', security: bearer, body: checkInRequestSchema, response: { 200: checkInResponseSchema, ...errors } },
      handler: async (req) => checkIn(deps, installationToken(req), req.body),
    });

    app.get('/licensing/v1/status', {
      config: installation,
      schema: { tags, summary: "The installation's license information: seats of its key, expiry, state", security: bearer, response: { 200: statusResponseSchema, ...errors } },
      handler: async (req) => installationStatus(deps, installationToken(req)),
    });

    app.post('/licensing/v1/deactivations', {
      config: installation,
      schema: { tags, summary: 'Deactivate this installation; its seat is free at once', security: bearer, response: { 200: deactivationResponseSchema, ...errors } },
      handler: async (req) => deactivateFromInstallation(deps, installationToken(req)),
    });

    app.post('/licensing/v1/trials', {
      config: installation,
      schema: {
        tags,
        summary: 'Start a trial: once per machine and product',
        security: [],
        body: trialRequestSchema,
        response: { 201: activationResponseSchema, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(await startTrial(deps, req.body, originOf(req))),
    });
  };
}
