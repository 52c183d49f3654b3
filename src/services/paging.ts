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
