import { useState, type Dispatch, type SetStateAction } from 'react';
import { accountPath, downloadHref } from '../api';
import { FormError } from '../forms';
import { GroupFilter } from '../group-filter';
import { useKeptState, type KeptCodec } from '../kept';
import { Pager, usePages } from '../paging';
import {
  listInstallations,
  listFilters,
  type Column,
  type ExpiryFilter,
  type ListQuery,
  type SortKey,
  type StateFilter,
} from '../installation-data';
import { listAccountKeys } from '../key-data';
import { KeyOptions } from '../key-options';
import { Link, navigate } from '../router';
import { can, useSession } from '../session';
import { ChoiceFilter, Empty, Load, SearchBox, useLoad } from '../ui';
import { InstallationActions, rowTarget, type ActionOutcome } from './installation-actions';
import { InstallationDialog } from './installation-details';
import { Results } from './installations-dialogs';
import { ALWAYS, COLUMNS, InstallationsTable, saveColumns, savedColumns } from './installations-table';
import { endSentence } from '../../../src/domain/sentence';
import { DEFAULT_PROFILE_NAME } from '../../../src/domain/default-profile';

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

type Selection = { scope: string; ids: ReadonlySet<string> };

/** A selection is kept as its scope and the ids of its rows. */
const keptSelection: KeptCodec<Selection> = {
  store: ({ scope, ids }) => ({ scope, ids: [...ids] }),
  revive: (stored) => {
    const { scope, ids } = (stored ?? {}) as { scope?: unknown; ids?: unknown };
    return typeof scope === 'string' && Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? { scope, ids: new Set(ids) } : null;
  },
};

/**
 * The rows chosen for a bulk action (kept under `kept`), within one scope (the list's filters and
 * order): a new scope starts with none.
 */
function useSelection(kept: string, scope: string): [ReadonlySet<string>, Dispatch<SetStateAction<Set<string>>>] {
  const [chosen, setChosen] = useKeptState<Selection>(kept, { scope, ids: NONE }, keptSelection);
  const ids = chosen.scope === scope ? chosen.ids : NONE;
  const select: Dispatch<SetStateAction<Set<string>>> = (next) =>
    setChosen((c) => ({ scope, ids: typeof next === 'function' ? next(new Set(c.scope === scope ? c.ids : NONE)) : next }));
  return [ids, select];
}

/**
 * The account's installations; `installationId` (from the address /accounts/:accountId/installations/:id)
 * opens one's details over the list, so that they can be shared, reloaded or opened in a new tab.
 */
export function Installations({
  keyId,
  groupId,
  product,
  profile,
  installationId,
}: {
  keyId: string | null;
  groupId: string | null;
  product: string | null;
  profile: string | null;
  installationId: string | null;
}) {
  const { account } = useSession();
  const kept = `installations:${keyId ?? ''}:${groupId ?? ''}:${product ?? ''}:${profile ?? ''}`;
  const [state, setState] = useKeptState<StateFilter>(`${kept}:state`, 'all');
  const [expiry, setExpiry] = useKeptState<ExpiryFilter>(`${kept}:expiry`, 'all');
  const [q, setQ] = useKeptState(`${kept}:q`, '');
  const [sort, setSort] = useKeptState<{ key: SortKey; order: 'asc' | 'desc' }>(`${kept}:sort`, { key: 'lastSeen', order: 'desc' });
  const [columns, setColumns] = useState<Column[]>(savedColumns);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [keys] = useLoad(() => listAccountKeys(account.id), [account.id]);

  const shown = COLUMNS.filter((c) => columns.includes(c.name));
  const query: ListQuery = { keyId, groupId, product, profile, state, expiry, q, sort: sort.key, order: sort.order, columns: [...new Set([...ALWAYS, ...shown.map((c) => c.name), 'product', 'key'] as Column[])] };
  const exportQuery: ListQuery = { ...query, columns: shown.map((c) => c.name) };
  const pages = usePages(`${kept}:pages`, (cursor) => listInstallations(account.id, query, cursor, PAGE_SIZE), [keyId, groupId, product, profile, state, expiry, q, sort.key, sort.order, columns.join()]);
  const { state: page, reload } = pages;

  // A new filter, search or order starts with nothing selected.
  const [selected, setSelected] = useSelection(`${kept}:chosen`, [keyId, groupId, product, profile, state, expiry, q, sort.key, sort.order].join('\n'));

  const rows = page.status === 'ready' ? page.data.items : [];
  const chosen = rows.filter((r) => selected.has(r.id));
  const keyName = keys.status === 'ready' ? keys.data.find((k) => k.id === keyId) : undefined;
  const productName = product ? (rows.find((r) => r.product?.code === product)?.product?.name ?? product) : null;
  const profileName = profile ? (profile === 'default' ? DEFAULT_PROFILE_NAME : (rows.find((r) => r.profile?.id === profile)?.profile?.name ?? null)) : null;
  const of = keyName?.name ?? productName;

  const chooseColumns = (next: Column[]) => {
    saveColumns(next);
    setColumns(next);
  };

  const done = (next: ActionOutcome) => {
    setOutcome(next);
    setSelected(new Set(next.results.filter((r) => !r.ok).map((r) => r.installationId)));
    reload();
  };
  // The list's own address (its filters) with or without one installation's details over it.
  const filters = new URLSearchParams(Object.entries({ keyId, groupId, product, profile }).flatMap(([name, value]) => (value ? [[name, value]] : []))).toString();
  const listHref = `/installations${filters ? `?${filters}` : ''}`;
  const detailsHref = (id: string) => `${accountPath(account.id)}/installations/${encodeURIComponent(id)}${filters ? `?${filters}` : ''}`;

  const sortBy = (key: SortKey) => setSort((s) => ({ key, order: s.key === key && s.order === 'asc' ? 'desc' : s.key === key ? 'asc' : key === 'name' ? 'asc' : 'desc' }));

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">Installations</span>
      </nav>
      <div className="page-head page-head-actions">
        <div>
          <h1>
            Installations{of ? ` of ${of}` : ''}
            {profileName ? ` with the profile ${profileName}` : ''}
          </h1>
          {profile && (
            <p>
              <Link href="/installations">Show the installations of every configuration profile</Link>
            </p>
          )}
          {product && (
            <p>
              <Link href="/installations">Show the installations of all products</Link>
            </p>
          )}
          <p className="muted">{endSentence(`The computers, farms and proxy servers that activated with the license keys of ${account.name}`)}</p>
        </div>
        <div className="head-links">
          {can(account, 'install_invitations.manage') && (
            <Link className="button secondary small" href="/invite-to-install">
              Invite users to install
            </Link>
          )}
          {can(account, 'installations.manage') && (
            <Link className="button secondary small" href="/offline-activation">
              Offline activation
            </Link>
          )}
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
            {keys.status === 'ready' && <KeyOptions keys={keys.data} />}
          </select>
        </label>
        <GroupFilter account={account} groupId={groupId} onChange={(next) => navigate(next ? `/installations?groupId=${encodeURIComponent(next)}` : '/installations')} />
        <ChoiceFilter label="Computers" value={state} choices={STATES} onChange={setState} />
        <ChoiceFilter label="Display" value={expiry} choices={EXPIRIES} onChange={setExpiry} />
        <SearchBox kept={kept} label="Search installations" placeholder="Name, user, MAC, IP, serial…" onSearch={setQ} />
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
        {can(account, 'installations.manage') && (
          <InstallationActions
            accountId={account.id}
            targets={chosen.map(rowTarget)}
            keys={keys.status === 'ready' ? keys.data : null}
            onStart={() => {
              setError(null);
              setOutcome(null);
            }}
            onDone={done}
            onError={setError}
          />
        )}
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
                {state === 'all' && expiry === 'all' && !q && can(account, 'install_invitations.manage') && (
                  <Link className="button primary" href="/invite-to-install">
                    Invite users to install
                  </Link>
                )}
              </Empty>
            );
          }
          return (
            <>
              <InstallationsTable rows={data.items} columns={shown} selected={selected} setSelected={setSelected} sort={sort} sortBy={sortBy} detailsHref={detailsHref} />
              <Pager pages={pages} label="Installations" />
            </>
          );
        }}
      </Load>
      {installationId && (
        <InstallationDialog
          accountId={account.id}
          installationId={installationId}
          keys={keys.status === 'ready' ? keys.data : null}
          onClose={() => navigate(listHref, false, false)}
          onChanged={reload}
        />
      )}
    </section>
  );
}
