import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../src/data/batcher.js';

/** A statement runner that records the batches it was given and answers after `release`. */
function recordingRunner() {
  const batches: number[][] = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((r) => (release = r));
  const run = async (items: number[]) => {
    batches.push(items);
    await gate;
    return items.map((n) => n * 10);
  };
  const open = () => {
    release();
    gate = Promise.resolve();
  };
  return { batches, run, open };
}

describe('a batcher', () => {
  it('sends a lone call at once, on its own', async () => {
    const r = recordingRunner();
    r.open();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 2 });
    expect(await b.submit(1)).toBe(10);
    expect(r.batches).toEqual([[1]]);
  });

  it('puts calls of the same tick in one statement, and calls arriving while all statements are out in the next', async () => {
    const r = recordingRunner();
    const b = new Batcher(r.run, { maxBatch: 10, maxInFlight: 1 });
    const first = [1, 2, 3].map((n) => b.submit(n));
    await Promise.resolve();
    await Promise.resolve();
    const second = [4, 5].map((n) => b.submit(n));
    r.open();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('never puts more than maxBatch calls in one statement', async () => {
    const r = recordingRunner();
    r.open();
    const b = new Batcher(r.run, { maxBatch: 2, maxInFlight: 1 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => b.submit(n)))).toEqual([10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails every call of a statement the connection failed, in one statement, and goes on with the next', async () => {
    let fail = true;
    const batches: number[][] = [];
    const b = new Batcher(
      async (items: number[]) => {
        batches.push(items);
        if (fail) throw new Error('Connection terminated unexpectedly');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = await Promise.allSettled([b.submit(1), b.submit(2), b.submit(3)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // A server shutting down (57P01) is no fault of any one call either.
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    const refuse = new Batcher(async (): Promise<number[]> => { throw shutdown; }, { maxBatch: 10, maxInFlight: 1 });
    expect((await Promise.allSettled([refuse.submit(1), refuse.submit(2)])).map((f) => f.status === 'rejected' && f.reason)).toEqual([shutdown, shutdown]);
    expect(batches).toEqual([[1, 2, 3]]);
    fail = false;
    expect(await b.submit(4)).toBe(4);
  });
});

/** A database refusing a statement for a row in it, as PostgreSQL answers a CHECK constraint. */
const refusal = (n: number) => Object.assign(new Error(`row ${n} violates check constraint`), { code: '23514', severity: 'ERROR' });

describe('a batcher with a call the database refuses', () => {
  it('answers every other call with its own result and the refused one with its own error, whatever the batch size and which calls are bad', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 5) }))),
        fc.integer({ min: 1, max: 100 }),
        async ([n, poisoned], maxBatch) => {
          const bad = new Set(poisoned);
          const batches: number[][] = [];
          const b = new Batcher(
            async (items: number[]) => {
              batches.push(items);
              await Promise.resolve();
              const first = items.find((i) => bad.has(i));
              if (first !== undefined) throw refusal(first);
              return items.map((i) => i * 10);
            },
            { maxBatch, maxInFlight: 2 },
          );
          const answers = await Promise.allSettled(Array.from({ length: n }, (_, i) => b.submit(i)));
          answers.forEach((a, i) => {
            if (bad.has(i)) expect(a).toEqual({ status: 'rejected', reason: refusal(i) });
            else expect(a).toEqual({ status: 'fulfilled', value: i * 10 });
          });
          // Every good call ran to its answer exactly once: nothing committed twice.
          const succeeded = batches.filter((items) => !items.some((i) => bad.has(i))).flat();
          expect(succeeded.sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => !bad.has(i)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds one bad call among 100 in a handful of statements', async () => {
    let statements = 0;
    const b = new Batcher(
      async (items: number[]) => {
        statements += 1;
        if (items.includes(37)) throw refusal(37);
        return items;
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const answers = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => b.submit(i)));
    expect(answers.filter((a) => a.status === 'rejected')).toHaveLength(1);
    expect(statements).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
  });
});
