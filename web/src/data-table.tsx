import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/** One column of a DataTable: its header, what each row shows in it, and a class for both (num, wrap, nowrap…). */
export interface Column<T> {
  header: ReactNode;
  /** The column's name where the header is more than its text (a sort button), for rows shown as blocks. */
  label?: string;
  cell(row: T): ReactNode;
  className?: string;
  /** The order the rows are sorted by this column, when they are. */
  sort?: 'ascending' | 'descending';
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * A column that sorts the list: its header is a button that sorts by it (again: the other way
 * round), and the column says the order it sorts the rows in, when it does.
 */
export function sortableColumn<K extends string>(label: string, key: K, sort: { key: K; order: 'asc' | 'desc' }, sortBy: (key: K) => void): Pick<Column<unknown>, 'header' | 'label' | 'sort'> {
  return {
    header: (
      <button type="button" className="sort" onClick={() => sortBy(key)}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.order === 'asc' ? ' ↑' : ' ↓') : ' ↕'}</span>
      </button>
    ),
    label,
    sort: sort.key === key ? ARIA_SORT[sort.order] : undefined,
  };
}

/** A table is named by the heading above it (its id) or, where there is none, by a label of its own. */
type Name = { labelledBy: string; label?: never } | { label: string; labelledBy?: never };

interface DataTableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string | number;
  /** What the trailing column shows for a row: buttons and links, under the hidden header "Actions". */
  actions?: (row: T) => ReactNode;
  /** Rows marked selected (a list with checkboxes). */
  selected?: (row: T) => boolean;
  /** A box of limited height that scrolls, for a list inside a dialog. */
  short?: boolean;
  className?: string;
}

/** Whether the element's content is larger than its box, kept up to date as either changes size. */
function useScrolls(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight);
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return scrolls;
}

/** A list drawn as a table: a header row, one row per item, and scrolling sideways where it is too wide. */
export function DataTable<T>({ columns, rows, rowKey, actions, selected, short = false, className, label, labelledBy }: DataTableProps<T> & Name) {
  // At phone width every row becomes a block whose cells are named by their column (the first names the row).
  const tableClass = ['stack', className].filter(Boolean).join(' ');
  const cellLabel = (column: Column<T>, index: number) => (index > 0 ? (column.label ?? (typeof column.header === 'string' ? column.header : undefined)) : undefined);
  const box = useRef<HTMLDivElement>(null);
  // A box that scrolls takes the keyboard focus, so that arrow keys reach what lies beyond its edge.
  const scrolls = useScrolls(box);
  const scrolling = scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label, 'aria-labelledby': labelledBy } : {};
  return (
    <div ref={box} className={short ? 'table-wrap short' : 'table-wrap'} {...scrolling}>
      {/* The roles are spelt out: some browsers drop a table's semantics once CSS lays its rows out as blocks (phone width). */}
      <table role="table" className={tableClass} aria-label={label} aria-labelledby={labelledBy}>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column, index) => (
              <th key={index} role="columnheader" scope="col" className={column.className} aria-sort={column.sort}>
                {column.header}
              </th>
            ))}
            {actions && (
              <th role="columnheader" scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={rowKey(row)} role="row" aria-selected={selected?.(row)}>
              {columns.map((column, index) => (
                <td key={index} role="cell" className={column.className} data-label={cellLabel(column, index)}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && (
                <td role="cell" className="actions">
                  {actions(row)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
