import { useKeptState } from './kept';
import { PagerNav, useLoad } from './ui';

/** What the pager needs of a cursor-paged answer: `nextCursor` is null on the last page. */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const PAGE_SIZE = 25;

/**
 * One page of a cursor listing at a time, with the cursors of the pages seen so far so that
 * "Previous" goes back; a change of the query (deps) starts again at page 1. Under `keep`, a
 * reload comes back to the same page.
 */
export function usePages<T>(keep: string | null, load: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const key = JSON.stringify(deps);
  const [seen, setSeen] = useKeptState<{ key: string; cursors: (string | null)[] }>(keep, { key, cursors: [null] });
  const cursors = seen.key === key ? seen.cursors : [null];
  const setCursors = (change: (c: (string | null)[]) => (string | null)[]) => setSeen({ key, cursors: change(cursors) });
  const cursor = cursors[cursors.length - 1] ?? null;
  const [state, reload] = useLoad(() => load(cursor), [key, cursor]);
  return {
    state,
    reload,
    pageNumber: cursors.length,
    previous: cursors.length > 1 ? () => setCursors((c) => c.slice(0, -1)) : null,
    next: (nextCursor: string) => setCursors((c) => [...c, nextCursor]),
  };
}

/** "Page 2 · Previous · Next" under a list; nothing when everything fits on one page. */
export function Pager<T>({ pages, label }: { pages: ReturnType<typeof usePages<T>>; label: string }) {
  const { state, pageNumber, previous, next } = pages;
  const nextCursor = state.status === 'ready' ? state.data.nextCursor : null;
  if (pageNumber === 1 && !nextCursor) return null;
  return <PagerNav label={`${label} pages`} page={pageNumber} onPrevious={previous} onNext={nextCursor ? () => next(nextCursor) : null} />;
}
