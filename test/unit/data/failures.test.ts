import { describe, expect, it } from 'vitest';
import { databaseFailure } from '../../../src/data/failures.js';
import { CONFLICT_ATTEMPTS, retrying } from '../../../src/data/transactions.js';

/** Errors shaped as node-postgres and Node's sockets make them (the integration test provokes the real ones). */
const pgError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });

describe('what a database failure means', () => {
  it('tells a lost or refused connection from a conflict, and leaves every other error to its caller', () => {
    expect(databaseFailure(pgError('57P01', 'terminating connection due to administrator command'))).toBe('connection');
    expect(databaseFailure(pgError('57P03', 'the database system is starting up'))).toBe('connection');
    expect(databaseFailure(pgError('08006'))).toBe('connection');
    expect(databaseFailure(refused())).toBe('connection');
    expect(databaseFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('connection');
    expect(databaseFailure(new Error('Connection terminated unexpectedly'))).toBe('connection');
    expect(databaseFailure(new Error('Connection terminated due to connection timeout'))).toBe('connection');
    expect(databaseFailure(new Error('timeout exceeded when trying to connect'))).toBe('connection');
    // "localhost" tries ::1 and 127.0.0.1: Node reports both refusals in one AggregateError.
    expect(databaseFailure(new AggregateError([refused(), refused()], ''))).toBe('connection');
    expect(databaseFailure(new Error('wrapped', { cause: refused() }))).toBe('connection');

    expect(databaseFailure(pgError('40P01', 'deadlock detected'))).toBe('conflict');
    expect(databaseFailure(pgError('40001', 'could not serialize access'))).toBe('conflict');

    expect(databaseFailure(pgError('23505', 'duplicate key value violates unique constraint'))).toBeNull();
    expect(databaseFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toBeNull();
    expect(databaseFailure(new TypeError('x is undefined'))).toBeNull();
    expect(databaseFailure('a string')).toBeNull();
  });
});

describe('retrying work that failed', () => {
  function failing(errors: Error[]) {
    let calls = 0;
    const work = async () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'done';
    };
    return { work, calls: () => calls };
  }

  it(`runs a transaction that lost a conflict again, at most ${CONFLICT_ATTEMPTS} times in all`, async () => {
    const twice = failing([pgError('40P01'), pgError('40001')]);
    expect(await retrying(twice.work)).toBe('done');
    expect(twice.calls()).toBe(3);

    const always = failing(Array.from({ length: 50 }, () => pgError('40P01', 'deadlock detected')));
    await expect(retrying(always.work)).rejects.toMatchObject({ code: '40P01' });
    expect(always.calls()).toBe(CONFLICT_ATTEMPTS);
  });

  it('runs work again after a lost connection only when it is idempotent', async () => {
    const plain = failing([pgError('57P01')]);
    await expect(retrying(plain.work)).rejects.toMatchObject({ code: '57P01' });
    expect(plain.calls()).toBe(1);

    const idempotent = failing([new Error('Connection terminated unexpectedly'), refused(), refused()]);
    expect(await retrying(idempotent.work, { idempotent: true })).toBe('done');
    expect(idempotent.calls()).toBe(4);
  });

  it('never runs work again after any other error', async () => {
    const duplicate = failing([pgError('23505')]);
    await expect(retrying(duplicate.work, { idempotent: true })).rejects.toMatchObject({ code: '23505' });
    expect(duplicate.calls()).toBe(1);
  });
});
