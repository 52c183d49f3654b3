import { z } from 'zod';
import { decodeCursor, encodeCursor, pageQuery, uuid } from './common.js';

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

interface SortedQuery<S extends string> {
  sort: S;
  order: 'asc' | 'desc';
}

/**
 * Paging for a listing the client sorts. The value a cursor carries is only comparable under the
 * sort and order it was made with (a name is no time), so the cursor names them and is refused
 * with any other, instead of reaching the database as a value of the wrong kind. `fits` says
 * whether a value can be one of the sort's values at all, for a cursor made up by hand.
 */
export function sortedPaging<S extends string>(fits: (sort: S, value: string) => boolean) {
  return {
    cursor: cursorParam(z.object({ sort: z.string(), order: z.enum(['asc', 'desc']), value: z.string(), id: uuid })),
    refine: (query: SortedQuery<S> & { cursor?: { sort: string; order: string; value: string } | undefined }, ctx: z.RefinementCtx) => {
      const { cursor } = query;
      if (!cursor) return;
      if (cursor.sort !== query.sort || cursor.order !== query.order) {
        ctx.addIssue({
          code: 'custom',
          path: ['cursor'],
          message: `was made for the list sorted by ${cursor.sort} ${cursor.order}, not ${query.sort} ${query.order}: start again from the first page`,
        });
      } else if (!fits(query.sort, cursor.value)) {
        ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is not a cursor from a previous page' });
      }
    },
    next: (query: SortedQuery<S>, next: { value: string; id: string } | null) =>
      next === null ? null : encodeCursor({ sort: query.sort, order: query.order, ...next }),
  };
}
