import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { databaseFailure } from '../data/failures.js';
import { AppError, errorStatus, invalidInput, type ErrorCode, type InputIssue } from '../domain/errors.js';
import { findUnstorableText } from '../domain/text.js';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** The error answers a route may give, for its OpenAPI entry. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  410: errorBodySchema,
  422: errorBodySchema,
  423: errorBodySchema,
  429: errorBodySchema,
  503: errorBodySchema,
};

/** What a client waits before trying again after `database_unavailable`: about a database restart. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

function send(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return reply
    .code(errorStatus[code])
    .type('application/json')
    .send(JSON.stringify({ error: { code, message, details, requestId: request.id } }));
}

function describeIssues(err: FastifyError): InputIssue[] {
  if (hasZodFastifySchemaValidationErrors(err)) {
    return err.validation.map((v) => {
      const where = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const place = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext}.` : '';
      return { path: `${place}${where}`, message: v.message ?? 'is invalid' };
    });
  }
  return (err.validation ?? []).map((v) => ({ path: v.instancePath, message: v.message ?? 'is invalid' }));
}

/** The one error handler: every failure leaves as {"error": {code, message, details}}; a 5xx never shows its cause. */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = err instanceof AppError ? err : err.validation ? invalidInput(describeIssues(err)) : null;
  if (known) {
    const retry = known.details['retryAfterSeconds'];
    if (known.code === 'rate_limited' && typeof retry === 'number') reply.header('retry-after', String(retry));
    if (known.code === 'database_unavailable') reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return send(reply, request, known.code, known.message, known.details);
  }
  const failure = databaseFailure(err);
  if (failure) {
    // A connection lost or a conflict that outlasted its retries: nothing is wrong with the request.
    request.log.warn({ err, failure }, 'database unavailable');
    reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return send(reply, request, 'database_unavailable', 'The database is unavailable for a moment; try again shortly');
  }
  if (isResponseSerializationError(err)) {
    request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
    return send(reply, request, 'internal_error', 'Something went wrong on our side');
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors: unparsable JSON, wrong media type, body too large.
    return send(reply, request, 'validation_failed', err.message, { fastifyCode: err.code });
  }
  request.log.error({ err }, 'request failed');
  return send(reply, request, 'internal_error', 'Something went wrong on our side');
}

const INPUT_PARTS = [
  ['body', ''],
  ['query', 'querystring.'],
  ['params', 'params.'],
] as const;

/**
 * Holds every string a request brings (body, query string, path parameters) to the one rule of
 * storable text, before any schema or handler reads it, so a refused request changes nothing.
 * A text body (an uploaded CSV file) is left to its route's reader, which applies the same rule
 * cell by cell and can name the line and column.
 */
export async function refuseUnstorableText(request: FastifyRequest) {
  for (const [part, prefix] of INPUT_PARTS) {
    const value = request[part];
    if (part === 'body' && typeof value === 'string') continue;
    const found = findUnstorableText(value);
    if (found) throw invalidInput([{ path: `${prefix}${found.path.join('.')}`, message: found.message }]);
  }
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
}
