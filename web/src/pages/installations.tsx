import { useEffect, useState, type ReactNode } from 'react';
import { accountPath, downloadHref, errorMessage } from '../api';
import { DataTable } from '../data-table';
import { FormError } from '../forms';
import { formatDate, formatDateTime } from '../format';
import { useKeptState } from '../kept';
import { Pager, usePages } from '../paging';
import {
  actOnInstallations,
  listInstallations,
  listFilters,
  type ActionResult,
  type BulkAction,
  type Column,
  type ExpiryFilter,
  type InstallationRow,
  type ListQuery,
  type SortKey,
  type StateFilter,
} from '../installation-data';
import { keyLabel, listAccountKeys, type KeyChoice } from '../key-data';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Badge, ChoiceFilter, Dialog, DialogActions, Empty, Load, useLoad } from '../ui';
import { InstallationDialog } from './installation-details';

const PAGE_SIZE = 50;

/** The columns a user may show, in the order the table shows them; the name is always there and opens the details. */
const COLUMNS: { name: Column; label: string; sort?: SortKey; cell(r: InstallationRow, open: (id: string) => void): ReactNode }[] = [
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
const ALWAYS: Column[] = ['name', 'alias', 'state', 'blacklisted', 'pendingAction'];
const COLUMNS_KEY = 'keyline.installations.columns';

const STATES: [StateFilter, string][] = [
  ['all', 'All'],
  ['active', 'Active'],
  ['deactivated', 'Deactivated'],
  ['blacklisted', 'Blacklisted'],
];
const EXPIRIES: [ExpiryFilter, string][] = [
  ['all', 'All'],
  ['expiring_soon', 'Expiring soon'],
  ['expired', 'Expired'],
];
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
const ACTION_LABELS: Record<BulkAction, string> = { deactivate: 'Deactivated', blacklist: 'Blacklisted', unblacklist: 'Removed from the blacklist', move: 'Moves at its next check-in' };

function savedColumns(): Column[] {
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

/** Which key to move the selection to: keys of the same product, other than the ones they use. */
function MoveDialog({ keys, rows, onMove, onCancel }: { keys: KeyChoice[]; rows: InstallationRow[]; onMove(keyId: string): void; onCancel(): void }) {
  const products = new Set(rows.map((r) => r.product?.code).filter(Boolean));
  const current = new Set(rows.map((r) => r.key?.id));
  const choices = keys.filter((k) => (products.size === 0 || products.has(k.productCode)) && !(current.size === 1 && current.has(k.id)));
  const [target, setTarget] = useState(choices[0]?.id ?? '');
  return (
    <Dialog title="Move to another license key" onClose={onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (target) onMove(target);
        }}
      >
        <p>
          The {rows.length === 1 ? 'installation moves' : `${rows.length} installations move`} at {rows.length === 1 ? 'its' : 'their'} next check-in, taking a seat of the key you pick.
        </p>
        {choices.length === 0 ? (
          <p className="form-error">There is no other license key of the same product to move to.</p>
        ) : (
          <div className="field">
            <label htmlFor="move-target">License key</label>
            <select id="move-target" value={target} onChange={(e) => setTarget(e.target.value)}>
              {choices.map((k) => (
                <option key={k.id} value={k.id}>
                  {keyLabel(k)}
                </option>
              ))}
            </select>
          </div>
        )}
        <DialogActions label="Move" disabled={!target} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** What a bulk action did, row by row: done, or why not. */
function Results({ action, results, names, onDismiss }: { action: BulkAction; results: ActionResult[]; names: Map<string, string>; onDismiss(): void }) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <div className={failed ? 'results results-partial' : 'results'} role="status">
      <div className="results-head">
        <strong>
          {results.length - failed} of {results.length} done{failed ? `; ${failed} not changed` : ''}.
        </strong>
        <button type="button" className="button link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul aria-label="Action results">
        {results.map((r) => (
          <li key={r.installationId}>
            {names.get(r.installationId) ?? r.installationId}: {r.ok ? ACTION_LABELS[action] : <span className="danger-text">{r.error.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Installations({ keyId, product }: { keyId: string | null; product: string | null }) {
  const { account } = useSession();
  const kept = `installations:${keyId ?? ''}:${product ?? ''}`;
  const [state, setState] = useKeptState<StateFilter>(`${kept}:state`, 'all');
  const [expiry, setExpiry] = useKeptState<ExpiryFilter>(`${kept}:expiry`, 'all');
  const [search, setSearch] = useKeptState(`${kept}:typed`, '');
  const [q, setQ] = useKeptState(`${kept}:q`, '');
  const [sort, setSort] = useKeptState<{ key: SortKey; order: 'asc' | 'desc' }>(`${kept}:sort`, { key: 'lastSeen', order: 'desc' });
  const [columns, setColumns] = useState<Column[]>(savedColumns);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ action: BulkAction; results: ActionResult[]; names: Map<string, string> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [keys] = useLoad(() => listAccountKeys(account.id), [account.id]);

  const shown = COLUMNS.filter((c) => columns.includes(c.name));
  const query: ListQuery = { keyId, product, state, expiry, q, sort: sort.key, order: sort.order, columns: [...new Set([...ALWAYS, ...shown.map((c) => c.name), 'product', 'key'] as Column[])] };
  const exportQuery: ListQuery = { ...query, columns: shown.map((c) => c.name) };
  const pages = usePages(`${kept}:pages`, (cursor) => listInstallations(account.id, query, cursor, PAGE_SIZE), [keyId, product, state, expiry, q, sort.key, sort.order, columns.join()]);
  const { state: page, reload } = pages;

  // A new filter, search or order starts with nothing selected.
  useEffect(() => setSelected(new Set()), [keyId, product, state, expiry, q, sort.key, sort.order]);

  const rows = page.status === 'ready' ? page.data.items : [];
  const chosen = rows.filter((r) => selected.has(r.id));
  const keyName = keys.status === 'ready' ? keys.data.find((k) => k.id === keyId) : undefined;
  const productName = product ? (rows.find((r) => r.product?.code === product)?.product?.name ?? product) : null;
  const of = keyName?.name ?? productName;

  const chooseColumns = (next: Column[]) => {
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
    setColumns(next);
  };

  const run = async (action: BulkAction, targetKeyId?: string) => {
    setMoving(false);
    setBusy(true);
    setError(null);
    setOutcome(null);
    const names = new Map(chosen.map((r) => [r.id, displayName(r)]));
    try {
      const { results } = await actOnInstallations(account.id, { action, installationIds: chosen.map((r) => r.id), ...(targetKeyId ? { targetKeyId } : {}) });
      setOutcome({ action, results, names });
      setSelected(new Set(results.filter((r) => !r.ok).map((r) => r.installationId)));
      reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const sortBy = (key: SortKey) => setSort((s) => ({ key, order: s.key === key && s.order === 'asc' ? 'desc' : s.key === key ? 'asc' : key === 'name' ? 'asc' : 'desc' }));

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">Installations</span>
      </nav>
      <div className="page-head page-head-actions">
        <div>
          <h1>Installations{of ? ` of ${of}` : ''}</h1>
          {product && (
            <p>
              <Link href="/installations">Show the installations of all products</Link>
            </p>
          )}
          <p className="muted">The computers, farms and proxy servers that activated with the license keys of {account.name}.</p>
        </div>
        <div className="head-links">
          <Link className="button secondary small" href="/invite-to-install">
            Invite users to install
          </Link>
          <Link className="button secondary small" href="/offline-activation">
            Offline activation
          </Link>
        </div>
      </div>

      <div className="toolbar">
        <label>
          License key
          <select
            value={keyId ?? ''}
            onChange={(e) => navigate(e.target.value ? `/installations?keyId=${encodeURIComponent(e.target.value)}` : '/installations')}
          >
            <option value="">All keys</option>
            {keys.status === 'ready' &&
              keys.data.map((k) => (
                <option key={k.id} value={k.id}>
                  {keyLabel(k)}
                </option>
              ))}
          </select>
        </label>
        <ChoiceFilter label="Computers" value={state} choices={STATES} onChange={setState} />
        <ChoiceFilter label="Display" value={expiry} choices={EXPIRIES} onChange={setExpiry} />
        <form
          role="search"
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(search.trim());
          }}
        >
          <label htmlFor="installation-search" className="visually-hidden">
            Search installations
          </label>
          <input id="installation-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, user, MAC, IP, serial…" />
          <button className="button secondary">Search</button>
        </form>
        <details className="column-chooser">
          <summary className="button secondary">Columns</summary>
          <fieldset>
            <legend className="visually-hidden">Columns to show</legend>
            {COLUMNS.filter((c) => c.name !== 'name').map((c) => (
              <label key={c.name}>
                <input
                  type="checkbox"
                  checked={columns.includes(c.name)}
                  onChange={(e) => chooseColumns(e.target.checked ? [...columns, c.name] : columns.filter((x) => x !== c.name))}
                />
                {c.label}
              </label>
            ))}
          </fieldset>
        </details>
      </div>

      <div className="bulkbar" aria-label="Actions on the selected installations" role="group">
        <span className="muted">{chosen.length === 0 ? 'Select installations to act on them.' : `${chosen.length} selected`}</span>
        <button type="button" className="button secondary small" disabled={busy || chosen.length === 0} onClick={() => run('deactivate')}>
          Deactivate
        </button>
        <button type="button" className="button secondary small" disabled={busy || chosen.length === 0} onClick={() => run('blacklist')}>
          Add to blacklist
        </button>
        <button type="button" className="button secondary small" disabled={busy || chosen.length === 0} onClick={() => run('unblacklist')}>
          Remove from blacklist
        </button>
        <button type="button" className="button secondary small" disabled={busy || chosen.length === 0 || keys.status !== 'ready'} onClick={() => setMoving(true)}>
          Move to another key…
        </button>
        <a className="button secondary small push-right" href={downloadHref(`${accountPath(account.id)}/installations.csv`, listFilters(exportQuery))} download>
          Export CSV
        </a>
      </div>
      <FormError message={error} />
      {outcome && <Results {...outcome} onDismiss={() => setOutcome(null)} />}

      <Load state={page} retry={reload} label="the installations">
        {(data) => {
          if (data.items.length === 0) {
            return (
              <Empty>
                <p>
                  {q
                    ? `No installation matches “${q}”.`
                    : state === 'all' && expiry === 'all'
                      ? 'No installation has activated with these license keys yet.'
                      : 'No installation matches these filters.'}
                </p>
                {state === 'all' && expiry === 'all' && !q && (
                  <Link className="button primary" href="/invite-to-install">
                    Invite users to install
                  </Link>
                )}
              </Empty>
            );
          }
          const allChosen = data.items.every((r) => selected.has(r.id));
          return (
            <>
              <DataTable
                label="Installations"
                className="installations"
                rows={data.items}
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
                        onChange={() => setSelected(allChosen ? new Set() : new Set(data.items.map((r) => r.id)))}
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
                    cell: (r: InstallationRow) => c.cell(r, setOpen),
                  })),
                ]}
              />
              <Pager pages={pages} label="Installations" />
            </>
          );
        }}
      </Load>
      {moving && keys.status === 'ready' && <MoveDialog keys={keys.data} rows={chosen} onMove={(target) => run('move', target)} onCancel={() => setMoving(false)} />}
      {open && (
        <InstallationDialog
          accountId={account.id}
          installationId={open}
          onClose={() => setOpen(null)}
          onChanged={reload}
        />
      )}
    </section>
  );
}
