import type { Dispatch, ReactNode, SetStateAction } from 'react';
import { DataTable, sortableColumn } from '../data-table';
import { formatDate, formatDateTime } from '../format';
import type { Column, InstallationRow, SortKey } from '../installation-data';
import { Link } from '../router';
import { Badge } from '../ui';
import { DEFAULT_PROFILE_NAME } from '../../../src/domain/default-profile';
import { INSTALLATION_COLUMN_LABELS, installationStateLabel, pendingActionLabel } from '../../../src/domain/installation-columns';

// The installations table: the columns a user may choose, and one page of rows.

/** The columns a user may show, in the order the table shows them; the name is always there and opens the details. */
export const COLUMNS: { name: Column; label: string; sort?: SortKey; cell(r: InstallationRow, detailsHref: (id: string) => string): ReactNode }[] = [
  {
    name: 'name',
    label: INSTALLATION_COLUMN_LABELS.name,
    sort: 'name',
    // A link to the details' own address: it opens over the list, or in a new tab.
    cell: (r, detailsHref) => (
      <>
        <Link className="cell-link" href={detailsHref(r.id)} keepScroll>
          {displayName(r)}
        </Link>
        {r.alias && r.name && <div className="muted small">{r.name}</div>}
      </>
    ),
  },
  { name: 'state', label: INSTALLATION_COLUMN_LABELS.state, cell: (r) => <StateBadge state={r.state ?? 'deactivated'} blacklisted={r.blacklisted ?? false} pendingAction={r.pendingAction ?? null} /> },
  { name: 'key', label: INSTALLATION_COLUMN_LABELS.key, cell: (r) => r.key?.name ?? <span className="muted">deleted</span> },
  { name: 'product', label: INSTALLATION_COLUMN_LABELS.product, cell: (r) => r.product?.name },
  {
    name: 'profile',
    label: INSTALLATION_COLUMN_LABELS.profile,
    cell: (r) => (
      <Link href={`/installations?profile=${encodeURIComponent(r.profile?.id ?? 'default')}`} title="Show the installations with this profile">
        {r.profile?.name ?? DEFAULT_PROFILE_NAME}
      </Link>
    ),
  },
  { name: 'lastContactAt', label: INSTALLATION_COLUMN_LABELS.lastContactAt, sort: 'lastSeen', cell: (r) => r.lastContactAt && formatDateTime(r.lastContactAt) },
  { name: 'version', label: INSTALLATION_COLUMN_LABELS.version, cell: (r) => r.version },
  { name: 'hostOs', label: INSTALLATION_COLUMN_LABELS.hostOs, cell: (r) => r.hostOs },
  { name: 'userName', label: INSTALLATION_COLUMN_LABELS.userName, cell: (r) => r.userName },
  { name: 'macAddresses', label: INSTALLATION_COLUMN_LABELS.macAddresses, cell: (r) => r.macAddresses?.join(', ') },
  { name: 'ipAddresses', label: INSTALLATION_COLUMN_LABELS.ipAddresses, cell: (r) => r.ipAddresses?.join(', ') },
  { name: 'serialNumber', label: INSTALLATION_COLUMN_LABELS.serialNumber, cell: (r) => r.serialNumber },
  { name: 'activatedAt', label: INSTALLATION_COLUMN_LABELS.activatedAt, sort: 'activatedAt', cell: (r) => r.activatedAt && formatDateTime(r.activatedAt) },
  { name: 'activatedBy', label: INSTALLATION_COLUMN_LABELS.activatedBy, cell: (r) => r.activatedBy },
  { name: 'licenseExpiresAt', label: INSTALLATION_COLUMN_LABELS.licenseExpiresAt, sort: 'expiresAt', cell: (r) => r.licenseExpiresAt && formatDate(r.licenseExpiresAt) },
  { name: 'usagePeak', label: INSTALLATION_COLUMN_LABELS.usagePeak, cell: (r) => r.usagePeak },
  { name: 'siteCode', label: INSTALLATION_COLUMN_LABELS.siteCode, cell: (r) => r.siteCode },
  { name: 'notes', label: INSTALLATION_COLUMN_LABELS.notes, cell: (r) => r.notes },
];
const DEFAULT_COLUMNS: Column[] = ['name', 'state', 'key', 'lastContactAt', 'version', 'macAddresses'];
/** Asked for with every page: the row's name, state and blacklisting decide how it reads. */
export const ALWAYS: Column[] = ['name', 'alias', 'state', 'blacklisted', 'pendingAction'];
const COLUMNS_KEY = 'keyline.installations.columns';

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

const STATE_TONES = { Active: 'active', Deactivated: 'neutral', Blacklisted: 'suspended' } as const;

/** An installation's state as the list and its details show it, and what waits for its next check-in. */
export function StateBadge({ state, blacklisted, pendingAction }: { state: 'active' | 'deactivated'; blacklisted: boolean; pendingAction: 'deactivate' | 'move' | null }) {
  const label = installationStateLabel({ state, blacklisted });
  const pending = pendingActionLabel(pendingAction);
  return (
    <>
      <Badge tone={STATE_TONES[label]}>{label}</Badge>
      {pending && <div className="muted small">{pending}</div>}
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
  detailsHref,
}: {
  rows: InstallationRow[];
  columns: typeof COLUMNS;
  selected: ReadonlySet<string>;
  setSelected: Dispatch<SetStateAction<Set<string>>>;
  sort: { key: SortKey; order: 'asc' | 'desc' };
  sortBy(key: SortKey): void;
  detailsHref(id: string): string;
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
          ...(c.sort ? sortableColumn(c.label, c.sort, sort, sortBy) : { header: c.label, label: c.label }),
          cell: (r: InstallationRow) => c.cell(r, detailsHref),
        })),
      ]}
    />
  );
}
