/**
 * The one place that tells what a database failure means for the caller:
 *
 * - `connection`: the database could not be reached or the connection broke (a restart, a crash,
 *   the network). Nothing is wrong with the request; it may work in a moment.
 * - `conflict`: PostgreSQL rolled the transaction back to resolve a deadlock or a serialization
 *   failure. Running the same transaction again is always safe.
 *
 * Anything else (a constraint, a bug) is `null`: it is the caller's to handle.
 */
export type DatabaseFailure = 'connection' | 'conflict';

// SQLSTATE class 08 is connection exceptions; these are the server going away or not taking
// connections yet: admin/crash shutdown, cannot connect now (starting up), too many connections.
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONFLICT_STATES = new Set(['40001', '40P01']);
// Socket errors of a server that is down, restarting or unreachable for a moment.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres reports a broken or timed-out connection by message only.
const CONNECTION_MESSAGES = [
  'Connection terminated', // "... unexpectedly", "... due to connection timeout"
  'timeout exceeded when trying to connect',
  'is not queryable', // "Client has encountered a connection error and is not queryable"
];

function classifyOne(err: unknown): DatabaseFailure | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (CONFLICT_STATES.has(code)) return 'conflict';
    if (code.startsWith('08') || CONNECTION_STATES.has(code) || SOCKET_CODES.has(code)) return 'connection';
  }
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return 'connection';
  return null;
}

/** What kind of passing database failure `err` is, if it is one; looks through causes and AggregateErrors. */
export function databaseFailure(err: unknown, depth = 0): DatabaseFailure | null {
  const own = classifyOne(err);
  if (own || depth > 3 || typeof err !== 'object' || err === null) return own;
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  for (const inner of [cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])]) {
    const found = inner === undefined ? null : databaseFailure(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The SQLSTATE of an error the database answered with (PostgreSQL and PGlite alike); undefined for any other failure. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  // The database's own answers carry a severity; a socket's errno code (EPIPE) does not.
  return typeof code === 'string' && typeof severity === 'string' ? code : undefined;
}

/** SQLSTATE classes that say the server or the connection failed, whatever the statement held. */
const SERVER_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources: out of connections, disk or memory
  '57', // operator intervention: shutdown, crash recovery, a cancelled statement
  '58', // system error
  'XX', // internal error
]);

/**
 * Whether the database ran the statement and refused it for what was in it (a constraint, a
 * trigger, a value it cannot take, a deadlock): then another statement without some of the rows
 * may well go through. A failure with no SQLSTATE (the connection went before an answer came) or
 * of a server class would fail any statement alike.
 */
export function isStatementRefusal(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && !SERVER_CLASSES.has(state.slice(0, 2));
}

/** Whether the database refused a row for a unique constraint, by the constraint's name (PostgreSQL and PGlite alike). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  return sqlState(err) === '23505' && (err as { constraint?: unknown }).constraint === constraint;
}
