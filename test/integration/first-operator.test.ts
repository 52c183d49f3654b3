import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOperators } from '../../src/data/repositories/users.js';
import { bootstrapOperator } from '../../src/services/operators/bootstrap-operator.js';
import { createTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the first vendor operator', () => {
  it('is made once when several server processes start together on a new database', async () => {
    const starts = await Promise.all(Array.from({ length: 4 }, () => bootstrapOperator(t.deps)));
    expect(starts.filter((login) => login !== null)).toHaveLength(1);
    expect(await countOperators(t.deps.db)).toBe(1);
    // A later start finds it and prints nothing.
    expect(await bootstrapOperator(t.deps)).toBeNull();
  });
});
