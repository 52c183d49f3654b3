import { describe, expect, it } from 'vitest';
import { inPrecedence, POLICY_KINDS, type KeyPolicy } from '../../../src/domain/configuration-policy.js';

const policy = (id: string): KeyPolicy => ({ kind: 'group_policy', id, name: id, version: 1, payloads: [] });

describe('the policies over a profile', () => {
  it('apply by kind, lowest precedence first, and otherwise by id, whatever order they were read in', () => {
    expect(POLICY_KINDS[0]).toBe('group_policy');
    const read = [policy('b'), policy('a'), policy('c')];
    expect(inPrecedence(read).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(inPrecedence([...read].reverse())).toEqual(inPrecedence(read));
    expect(read.map((p) => p.id)).toEqual(['b', 'a', 'c']);
  });
});
