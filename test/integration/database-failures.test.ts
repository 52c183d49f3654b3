import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/data/database.js';
import { databaseFailure } from '../../src/data/failures.js';
import { retrying, runTransaction } from '../../src/data/transactions.js';
import { openTestDatabase, testEngine } from '../support/database.js';
import { freePort } from '../support/server-process.js';

/**
 * The failures a PostgreSQL server really gives: a deadlock between two connections, a session
 * ended from the server, a refused connection. PGlite is one session in process, with neither.
 */
const onPostgres = testEngine() === 'postgres';

let database: Database & { url: string | null };
beforeAll(async () => {
  database = await openTestDatabase();
  await sql`CREATE TABLE probe (id int PRIMARY KEY, n int NOT NULL)`.execute(database.db);
  await sql`INSERT INTO probe VALUES (1, 0), (2, 0)`.execute(database.db);
});
afterAll(() => database.close());

const bump = (trx: Database['db'], id: number) => sql`UPDATE probe SET n = n + 1 WHERE id = ${id}`.execute(trx);

describe.skipIf(!onPostgres)('database failures on PostgreSQL', () => {
  it('runs again the transaction PostgreSQL chose as a deadlock victim, so both commit', async () => {
    // Each takes one row, waits until the other holds the other row, then takes it: a real deadlock.
    let holding = 0;
    const bothHolding = async () => {
      holding++;
      while (holding < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    let runs = 0;
    const crosswise = (first: number, second: number) =>
      runTransaction(database.db, async (trx) => {
        runs++;
        await bump(trx, first);
        if (runs <= 2) await bothHolding();
        await bump(trx, second);
      });
    await Promise.all([crosswise(1, 2), crosswise(2, 1)]);
    expect(runs).toBe(3);
    const rows = await sql<{ id: number; n: number }>`SELECT id, n FROM probe ORDER BY id`.execute(database.db);
    expect(rows.rows).toEqual([{ id: 1, n: 2 }, { id: 2, n: 2 }]);
  });

  it('classifies a session the server ended and a refused connection as connection loss, and the pool goes on', async () => {
    const victim = await openDatabase({ url: database.url!, poolSize: 1 });
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(victim.db);
    const inFlight = sql`SELECT pg_sleep(30)`.execute(victim.db);
    const ended = inFlight.then(() => null, (err: unknown) => err);
    await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(database.db);
    expect(databaseFailure(await ended)).toBe('connection');
    // The pool drops the broken client (its socket may close a moment after the error) and connects anew.
    const again = await retrying(() => sql<{ one: number }>`SELECT 1 AS one`.execute(victim.db), { idempotent: true });
    expect(again.rows).toEqual([{ one: 1 }]);
    await victim.close();

    const nowhere = await openDatabase({ url: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
    const refused = await sql`SELECT 1`.execute(nowhere.db).then(() => null, (err: unknown) => err);
    expect(databaseFailure(refused)).toBe('connection');
    await nowhere.close();

    const duplicate = await sql`INSERT INTO probe VALUES (1, 0)`.execute(database.db).then(() => null, (err: unknown) => err);
    expect(databaseFailure(duplicate)).toBeNull();
  });
});
