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
