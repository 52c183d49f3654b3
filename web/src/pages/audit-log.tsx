import { accountPath, answer, api, downloadHref, type Query, type Schemas } from '../api';
import { DataTable } from '../data-table';
import { formatDateTime } from '../format';
import { useKeptState } from '../kept';
import { Pager, usePages } from '../paging';
import { Link } from '../router';
import { useSession } from '../session';
import { Empty, Load } from '../ui';

interface Filter {
  action: string;
  actor: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { action: '', actor: '', from: '', to: '' };

/** Dates of the filter are whole days where the user is: from the start of "from" to the end of "to". */
function filterQuery(f: Filter): Query<'get', '/api/v1/accounts/{accountId}/audit-events'> {
  return {
    action: f.action.trim() || undefined,
    actor: f.actor.trim() || undefined,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : undefined,
  };
}

const summary = (details: Schemas['AuditEvent']['details']) =>
  Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');

/** The account's audit log (administrators): who did what, newest first. */
export function AuditLog() {
  const { account } = useSession();
  const [draft, setDraft] = useKeptState<Filter>('audit-log:typed', EMPTY);
  const [filter, setFilter] = useKeptState<Filter>('audit-log:filter', EMPTY);
  const pages = usePages(
    'audit-log:pages',
    (cursor) =>
      answer(api.GET('/api/v1/accounts/{accountId}/audit-events', { params: { path: { accountId: account.id }, query: { ...filterQuery(filter), limit: 50, cursor: cursor ?? undefined } } })),
    [filter],
  );
  const { state, reload } = pages;

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/users">Users</Link> › <span aria-current="page">Audit log</span>
      </nav>
      <div className="page-head page-head-actions">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Who changed what in {account.name}, newest first.</p>
        </div>
        <a className="button secondary small" href={downloadHref(`${accountPath(account.id)}/audit-events.csv`, filterQuery(filter))} download>
          Export CSV
        </a>
      </div>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        <label>
          Action
          <input value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} placeholder="e.g. installation.blacklisted" />
        </label>
        <label>
          By
          <input type="email" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} placeholder="Email" />
        </label>
        <label>
          From
          <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button className="button secondary">Filter</button>
      </form>
      <Load state={state} retry={reload} label="the audit log">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>No events match.</p>
            </Empty>
          ) : (
            <>
              <DataTable
                label="Audit events"
                rows={items}
                rowKey={(e) => e.id}
                columns={[
                  { header: 'Time', className: 'nowrap', cell: (e) => formatDateTime(e.createdAt) },
                  { header: 'By', className: 'wrap', cell: (e) => e.actorEmail ?? <span className="muted">system</span> },
                  { header: 'Action', cell: (e) => <code>{e.action}</code> },
                  { header: 'Target', cell: (e) => e.targetType },
                  { header: 'Details', className: 'wrap small', cell: (e) => summary(e.details) },
                ]}
              />
              <Pager pages={pages} label="Audit log" />
            </>
          )
        }
      </Load>
    </section>
  );
}
