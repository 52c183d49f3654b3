import { CursorPager, type Cursors } from '../../paging';
import type { Loaded } from '../../ui';

export const PAGE_SIZE = 25;

/** "Page 2 · Previous · Next" under a list; nothing when everything fits on one page. */
export function Pager({ pages, label }: { pages: { state: Loaded<{ nextCursor: string | null }>; cursors: Cursors }; label: string }) {
  const { state, cursors } = pages;
  const nextCursor = state.status === 'ready' ? state.data.nextCursor : null;
  if (cursors.page === 1 && !nextCursor) return null;
  return <CursorPager label={`${label} pages`} cursors={cursors} nextCursor={nextCursor} />;
}
