import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputWords } from '../../../src/http/input-words.js';

const messages = (schema: z.ZodType, input: unknown) =>
  Object.fromEntries(schema.safeParse(input, { error: inputWords }).error!.issues.map((i) => [i.path.join('.'), i.message]));

describe("zod's messages in the API's words", () => {
  const schema = z.strictObject({
    name: z.string().min(1).max(3),
    code: z.string().min(2),
    count: z.number().int().min(1).max(90),
    share: z.number().gt(0).lt(1),
    kind: z.enum(['reserved', 'dynamic']),
    id: z.uuid(),
    at: z.iso.datetime(),
    tags: z.array(z.string()).min(1).max(2),
    flag: z.boolean(),
    email: z.email({ error: 'must be an email address, as the schema says' }),
  });

  it('names each fault as what the value must be', () => {
    expect(messages(schema, { name: 'abcd', code: 'x', count: 0.5, share: 1, kind: 'other', id: 'nope', at: 'today', tags: ['a', 'b', 'c'], flag: 'yes', email: 'x' })).toEqual({
      name: 'must be at most 3 characters',
      code: 'must be at least 2 characters',
      count: 'must be a whole number',
      share: 'must be less than 1',
      kind: 'must be one of "reserved", "dynamic"',
      id: 'must be an id (a UUID)',
      at: 'must be a date and time like 2026-01-31T12:00:00Z',
      tags: 'must hold at most 2 entries',
      flag: 'must be true or false',
      email: 'must be an email address, as the schema says',
    });
  });

  it('says a missing or empty value is required, and an empty list needs an entry', () => {
    const found = messages(schema, { name: '', tags: [], count: 0, share: 0 });
    expect(found).toMatchObject({ name: 'is required', code: 'is required', kind: 'is required', tags: 'must hold at least one entry', count: 'must be at least 1', share: 'must be more than 0' });
  });

  it('names the fields a request does not have', () => {
    expect(messages(z.strictObject({}), { extra: 1, more: 2 })).toEqual({ '': '"extra", "more" are not fields of this request' });
  });
});
