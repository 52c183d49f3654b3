import type { Dispatch, ReactNode, SetStateAction } from 'react';
import { DataTable } from '../data-table';
import { formatDate, formatDateTime } from '../format';
import type { Column, InstallationRow, SortKey } from '../installation-data';
import { Badge } from '../ui';

// The installations table: the columns a user may choose, and one page of rows.

/** The columns a user may show, in the order the table shows them; the name is always there and opens the details. */
export const COLUMNS: { name: Column; label: string; sort?: SortKey; cell(r: InstallationRow, open: (id: string) => void): ReactNode }[] = [
  {
    name: 'name',
    label: 'Computer name',
    sort: 'name',
    cell: (r, open) => (
      <>
        <button type="button" className="button link cell-link" onClick={() => open(r.id)}>
          {displayName(r)}
        </button>
        {r.alias && r.name && <div className="muted small">{r.name}</div>}
      </>
    ),
  },
  { name: 'state', label: 'State', cell: (r) => <StateBadge row={r} /> },
  { name: 'key', label: 'License key', cell: (r) => r.key?.name ?? <span className="muted">deleted</span> },
  { name: 'product', label: 'Product', cell: (r) => r.product?.name },
  { name: 'lastContactAt', label: 'Last contact', sort: 'lastSeen', cell: (r) => r.lastContactAt && formatDateTime(r.lastContactAt) },
  { name: 'version', label: 'App version', cell: (r) => r.version },
  { name: 'hostOs', label: 'Host OS', cell: (r) => r.hostOs },
  { name: 'userName', label: 'User', cell: (r) => r.userName },
  { name: 'macAddresses', label: 'MAC address', cell: (r) => r.macAddresses?.join(', ') },
  { name: 'ipAddresses', label: 'IP address', cell: (r) => r.ipAddresses?.join(', ') },
  { name: 'serialNumber', label: 'Serial number', cell: (r) => r.serialNumber },
  { name: 'activatedAt', label: 'Activated', sort: 'activatedAt', cell: (r) => r.activatedAt && formatDateTime(r.activatedAt) },
  { name: 'activatedBy', label: 'Activated by', cell: (r) => r.activatedBy },
  { name: 'licenseExpiresAt', label: 'License expires', sort: 'expiresAt', cell: (r) => r.licenseExpiresAt && formatDate(r.licenseExpiresAt) },
  { name: 'usagePeak', label: 'Usage peak', cell: (r) => r.usagePeak },
  { name: 'siteCode', label: 'Site', cell: (r) => r.siteCode },
  { name: 'notes', label: 'Notes', cell: (r) => r.notes },
];
const DEFAULT_COLUMNS: Column[] = ['name', 'state', 'key', 'lastContactAt', 'version', 'macAddresses'];
/** Asked for with every page: the row's name, state and blacklisting decide how it reads. */
export const ALWAYS: Column[] = ['name', 'alias', 'state', 'blacklisted', 'pendingAction'];
const COLUMNS_KEY = 'keyline.installations.columns';
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function savedColumns(): Column[] {
  try {
    const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
    if (Array.isArray(saved)) {
      const known = saved.filter((c): c is Column => COLUMNS.some((k) => k.name === c));
      if (known.length > 0) return known;
    }
  } catch {
    // a broken saved choice falls back to the default
  }
  return DEFAULT_COLUMNS;
}

/** Keeps the chosen columns for the next visit. */
export function saveColumns(columns: Column[]): void {
  localStorage.setItem(COLUMNS_KEY, JSON.stringify(columns));
}

function StateBadge({ row }: { row: InstallationRow }) {
  return (
    <>
      {row.state === 'active' ? <Badge tone="active">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>}
      {row.blacklisted && (
        <>
          {' '}
          <Badge tone="suspended">Blacklisted</Badge>
        </>
      )}
      {row.pendingAction && <div className="muted small">{row.pendingAction === 'move' ? 'moves' : 'deactivates'} at next check-in</div>}
    </>
  );
}

export const displayName = (r: { name?: string | null; alias?: string | null; id: string }) => r.alias ?? r.name ?? `Installation ${r.id.slice(0, 8)}`;

/** One page of installations: a checkbox per row, the chosen columns, sortable headers, the name opening the details. */
export function InstallationsTable({
  rows,
  columns: shown,
  selected,
  setSelected,
  sort,
  sortBy,
  onOpen,
}: {
  rows: InstallationRow[];
  columns: typeof COLUMNS;
  selected: ReadonlySet<string>;
  setSelected: Dispatch<SetStateAction<Set<string>>>;
  sort: { key: SortKey; order: 'asc' | 'desc' };
  sortBy(key: SortKey): void;
  onOpen(id: string): void;
}) {
  const allChosen = rows.every((r) => selected.has(r.id));
  return (
    <DataTable
      label="Installations"
      className="installations"
      rows={rows}
      rowKey={(r) => r.id}
      selected={(r) => selected.has(r.id)}
      columns={[
        {
          className: 'check',
          header: (
            <input
              type="checkbox"
              aria-label="Select all on this page"
              checked={allChosen}
              onChange={() => setSelected(allChosen ? new Set() : new Set(rows.map((r) => r.id)))}
            />
          ),
          cell: (r) => (
            <input
              type="checkbox"
              aria-label={`Select ${displayName(r)}`}
              checked={selected.has(r.id)}
              onChange={() =>
                setSelected((s) => {
                  const next = new Set(s);
                  if (next.has(r.id)) next.delete(r.id);
                  else next.add(r.id);
                  return next;
                })
              }
            />
          ),
        },
        ...shown.map((c) => ({
          header: c.sort ? (
            <button type="button" className="sort" onClick={() => sortBy(c.sort!)}>
              {c.label}
              <span aria-hidden="true">{sort.key === c.sort ? (sort.order === 'asc' ? ' ↑' : ' ↓') : ' ↕'}</span>
            </button>
          ) : (
            c.label
          ),
          label: c.label,
          sort: c.sort && sort.key === c.sort ? ARIA_SORT[sort.order] : undefined,
          cell: (r: InstallationRow) => c.cell(r, onOpen),
        })),
      ]}
    />
  );
}
