import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { NewSession } from '../services/users/sessions.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './auth.js';
import { presentUser } from './presenters.js';

/** Hands a new session to the browser, for sign-in and for joining an account by invitation alike. */
export function startSession(config: Config, reply: FastifyReply, s: NewSession) {
  const base = { path: '/', sameSite: 'lax' as const, secure: config.publicUrl.startsWith('https://'), expires: s.expiresAt };
  reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true });
  // Readable by the portal's script, which echoes it in the x-csrf-token header.
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...base, httpOnly: false });
  return { user: presentUser(s.user), csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
}
