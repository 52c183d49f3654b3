import { useState, type Dispatch, type SetStateAction } from 'react';
import { accountPath, downloadHref, errorMessage } from '../api';
import { FormError } from '../forms';
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
  type ListQuery,
  type SortKey,
  type StateFilter,
} from '../installation-data';
import { keyLabel, listAccountKeys } from '../key-data';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ChoiceFilter, Empty, Load, useLoad } from '../ui';
import { InstallationDialog } from './installation-details';
import { MoveDialog, Results } from './installations-dialogs';
import { ALWAYS, COLUMNS, displayName, InstallationsTable, saveColumns, savedColumns } from './installations-table';
import { endSentence } from '../../../src/domain/sentence';

const PAGE_SIZE = 50;

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

const NONE: ReadonlySet<string> = new Set();

/** The rows chosen for a bulk action, within one scope (the list's filters and order): a new scope starts with none. */
function useSelection(scope: string): [ReadonlySet<string>, Dispatch<SetStateAction<Set<string>>>] {
  const [chosen, setChosen] = useState<{ scope: string; ids: ReadonlySet<string> }>({ scope, ids: NONE });
  const ids = chosen.scope === scope ? chosen.ids : NONE;
  const select: Dispatch<SetStateAction<Set<string>>> = (next) =>
    setChosen((c) => ({ scope, ids: typeof next === 'function' ? next(new Set(c.scope === scope ? c.ids : NONE)) : next }));
  return [ids, select];
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
  const [selected, setSelected] = useSelection([keyId, product, state, expiry, q, sort.key, sort.order].join('\n'));

  const rows = page.status === 'ready' ? page.data.items : [];
  const chosen = rows.filter((r) => selected.has(r.id));
  const keyName = keys.status === 'ready' ? keys.data.find((k) => k.id === keyId) : undefined;
  const productName = product ? (rows.find((r) => r.product?.code === product)?.product?.name ?? product) : null;
  const of = keyName?.name ?? productName;

  const chooseColumns = (next: Column[]) => {
    saveColumns(next);
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
          <p className="muted">{endSentence(`The computers, farms and proxy servers that activated with the license keys of ${account.name}`)}</p>
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
          return (
            <>
              <InstallationsTable rows={data.items} columns={shown} selected={selected} setSelected={setSelected} sort={sort} sortBy={sortBy} onOpen={setOpen} />
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
