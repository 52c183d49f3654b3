export interface Page<T, K> {
  items: T[];
  /** The sort key of the last item when another page follows, else null. */
  next: K | null;
}

/** One page of a keyset listing: reading one row more than asked tells whether another page follows, without a count. */
export async function keysetPage<T, K>(limit: number, read: (limit: number) => Promise<T[]>, keyOf: (last: T) => K): Promise<Page<T, K>> {
  const rows = await read(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? keyOf(last) : null };
}

/** How many rows an export reads at a time. */
export const EXPORT_CHUNK = 1000;

/**
 * Every row of a keyset listing, read a chunk at a time, so an export streams at any size
 * without holding it whole.
 */
export async function* allRows<T, K>(read: (after: K | undefined, limit: number) => Promise<T[]>, keyOf: (last: T) => K): AsyncGenerator<T> {
  let from: K | undefined;
  for (;;) {
    const rows = await read(from, EXPORT_CHUNK);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < EXPORT_CHUNK || !last) return;
    from = keyOf(last);
  }
}
