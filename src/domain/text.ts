/**
 * Text the database can store. PostgreSQL keeps no NUL character in text or jsonb, and a lone
 * UTF-16 surrogate has no UTF-8 spelling (jsonb refuses its escape outright), so either would
 * fail deep in a write as a server error. Every string that comes in is held to this one rule
 * before anything reads it, and refused as the client's mistake.
 */
export function unstorableBecause(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character, which cannot be stored';
  if (!text.isWellFormed()) return 'contains a lone surrogate (not well-formed Unicode), which cannot be stored';
  return null;
}

export interface UnstorableText {
  /** Where the string is: the keys and indexes from the top of the value (a bad key is named by its own path). */
  path: (string | number)[];
  message: string;
}

interface Place {
  value: unknown;
  key: string | number | null;
  parent: Place | null;
}

const pathOf = (place: Place): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let p: Place | null = place; p && p.key !== null; p = p.parent) path.push(p.key);
  return path.reverse();
};

/**
 * The first string anywhere in a value (object keys, nested objects and arrays included) that
 * cannot be stored, or null. Walked with a stack of its own, each place pointing to its parent:
 * a 1 MB body can nest far deeper than the call stack goes, and paths are spelled only for the
 * one string found.
 */
export function findUnstorableText(value: unknown): UnstorableText | null {
  const stack: Place[] = [{ value, key: null, parent: null }];
  for (let place = stack.pop(); place; place = stack.pop()) {
    const v = place.value;
    if (typeof v === 'string') {
      const message = unstorableBecause(v);
      if (message) return { path: pathOf(place), message };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: place });
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, child] of Object.entries(v).reverse()) {
        const field: Place = { value: child, key, parent: place };
        const message = unstorableBecause(key);
        if (message) return { path: pathOf(field), message: `is a field name that ${message}` };
        stack.push(field);
      }
    }
  }
  return null;
}
