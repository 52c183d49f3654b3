import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/data/batcher.js';

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

  it('fails every call of a failed statement, and goes on with the next', async () => {
    let fail = true;
    const b = new Batcher(
      async (items: number[]) => {
        if (fail) throw new Error('connection lost');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = await Promise.allSettled([b.submit(1), b.submit(2)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await b.submit(3)).toBe(3);
  });
});
