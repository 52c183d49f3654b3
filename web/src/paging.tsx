import { useState } from 'react';
import { PagerNav, useLoad } from './ui';

/**
 * The cursors of the pages of a cursor-paged list seen so far, so that "Previous" goes back;
 * a change of the query (deps) starts again at page 1.
 */
export function useCursors(deps: unknown[]) {
  const key = JSON.stringify(deps);
  const [seen, setSeen] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = seen.key === key ? seen.cursors : [null];
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    previous: cursors.length > 1 ? () => setSeen({ key, cursors: cursors.slice(0, -1) }) : null,
    next: (nextCursor: string) => setSeen({ key, cursors: [...cursors, nextCursor] }),
    /** Back to page 1 with the same query, as when a filter is applied again. */
    restart: () => setSeen({ key, cursors: [null] }),
  };
}

export type Cursors = ReturnType<typeof useCursors>;

/** One page of a cursor listing at a time, loaded again when the query (deps) or the page changes. */
export function usePages<P extends { nextCursor: string | null }>(load: (cursor: string | null) => Promise<P>, deps: unknown[]) {
  const cursors = useCursors(deps);
  const [state, reload] = useLoad(() => load(cursors.cursor), [JSON.stringify(deps), cursors.cursor]);
  return { state, reload, cursors };
}

/** "← Previous · Page N · Next →" under a page of a cursor listing. */
export function CursorPager({ label, cursors, nextCursor }: { label: string; cursors: Cursors; nextCursor: string | null }) {
  return <PagerNav label={label} page={cursors.page} onPrevious={cursors.previous} onNext={nextCursor ? () => cursors.next(nextCursor) : null} />;
}
