import { z } from 'zod';

const TYPES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

const FORMATS: Record<string, string> = {
  email: 'an email address',
  uuid: 'an id (a UUID)',
  datetime: 'a date and time like 2026-01-31T12:00:00Z',
  date: 'a date like 2026-01-31',
  url: 'a web address',
};

const quoted = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * Zod's own messages ("Too big: expected string to have <=20 characters") in the words of the
 * API's other messages ("must be at most 20 characters"), for every schema that words none of its
 * own: a message follows the field's name, which clients put before it. Undefined leaves zod's.
 */
export const inputWords: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${TYPES[issue.expected] ?? issue.expected}`;
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array') return `must hold at most ${max} entries`;
      if (issue.origin === 'number' || issue.origin === 'int') return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
      return undefined;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return issue.minimum === 1 ? 'is required' : `must be at least ${min} characters`;
      if (issue.origin === 'array') return issue.minimum === 1 ? 'must hold at least one entry' : `must hold at least ${min} entries`;
      if (issue.origin === 'number' || issue.origin === 'int') return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
      return undefined;
    }
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1 ? `must be ${quoted(issue.values)}` : `must be one of ${quoted(issue.values)}`;
    case 'invalid_format':
      return `must be ${FORMATS[issue.format] ?? `in the ${issue.format} format`}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `${quoted(issue.keys)} ${issue.keys.length > 1 ? 'are not fields' : 'is not a field'} of this request`;
    default:
      return undefined;
  }
};
