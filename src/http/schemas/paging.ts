import { z } from 'zod';
import { decodeCursor, pageQuery } from './common.js';

/**
 * The cursor of a keyset listing, decoded to the sort key of the last row seen. A cursor that
 * does not decode is refused: silently starting over would make a client page forever.
 */
export function cursorParam<T>(key: z.ZodType<T>) {
  return pageQuery.cursor.transform((cursor, ctx) => {
    const decoded = decodeCursor(cursor, key);
    if (cursor !== undefined && decoded === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor from a previous page' });
      return z.NEVER;
    }
    return decoded;
  });
}
