import { useState } from 'react';
import { mayOpen } from '../access';
import { ActionsMenu } from '../actions-menu';
import { answer, api, type Schemas } from '../api';
import { MemberRole } from '../cells';
import { DataTable } from '../data-table';
import { FormError } from '../forms';
import { formatDate, personName } from '../format';
import { useKeptState } from '../kept';
import { Link } from '../router';
import { can, useSession } from '../session';
import { ConfirmDialog, Empty, Load, useListAction, useLoad } from '../ui';
import { InviteMembers, MemberNotes, OpenInvitations } from './user-invitations';
import { endSentence } from '../../../src/domain/sentence';

type Member = Schemas['Member'];


/** The business account's members: administrators promote, demote, block and unblock them here. */
export function Users() {
  const { account, user } = useSession();
  const [search, setSearch] = useKeptState('users:typed', '');
  const [query, setQuery] = useKeptState('users:search', '');
  const [editing, setEditing] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [invitationsVersion, setInvitationsVersion] = useState(0);
  const [state, reload] = useLoad(
    () => answer(api.GET('/api/v1/accounts/{accountId}/members', { params: { path: { accountId: account.id }, query: { limit: 200, search: query || undefined } } })),
    [account.id, query],
  );

  const action = useListAction(reload);
  const member = (m: Member) => ({ params: { path: { accountId: account.id, userId: m.userId } } });
  const setRole = (m: Member) => () => void action.run(() => answer(api.PATCH('/api/v1/accounts/{accountId}/members/{userId}', { ...member(m), body: { role: m.role === 'admin' ? 'member' : 'admin' } })));
  const setBlocked = (m: Member) => () =>
    void action.run(() => answer(m.status === 'blocked' ? api.POST('/api/v1/accounts/{accountId}/members/{userId}/unblock', member(m)) : api.POST('/api/v1/accounts/{accountId}/members/{userId}/block', member(m))));

  const memberActions = (m: Member) => {
    const self = m.userId === user.id;
    return (
      <ActionsMenu
        rowName={personName(m)}
        actions={[
          { label: 'Notes', onSelect: () => setEditing(m) },
          !self && { label: m.role === 'admin' ? 'Make regular member' : 'Make administrator', onSelect: setRole(m) },
          !self && { label: m.status === 'blocked' ? 'Unblock' : 'Block', danger: m.status !== 'blocked', onSelect: setBlocked(m) },
          !self && { label: 'Remove', danger: true, onSelect: () => setRemoving(m) },
        ]}
      />
    );
  };

  return (
    <section>
      <div className="page-head page-head-actions">
        <div>
          <h1>Users</h1>
          <p className="muted">{endSentence(`The members of ${account.name}`)} A change of role or a block applies at once.</p>
        </div>
        <div className="head-links">
          <Link className="button secondary small" href="/business-profile">
            Business profile
          </Link>
          {mayOpen(account, '/audit-log') && (
            <Link className="button secondary small" href="/audit-log">
              Audit log
            </Link>
          )}
          {mayOpen(account, '/webhooks') && (
            <Link className="button secondary small" href="/webhooks">
              Webhooks
            </Link>
          )}
        </div>
      </div>
      {can(account, 'invitations.manage') && <InviteMembers accountId={account.id} onInvited={() => setInvitationsVersion((v) => v + 1)} />}
      <h2>Members</h2>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(search.trim());
        }}
      >
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or email" />
        </label>
        <button className="button secondary">Search</button>
      </form>
      <FormError message={action.error} />
      <Load state={state} retry={reload} label="the members">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>{query ? `No member matches “${query}”.` : 'This account has no members yet.'}</p>
            </Empty>
          ) : (
            <DataTable
              label="Members"
              rows={items}
              rowKey={(m) => m.userId}
              columns={[
                {
                  header: 'Name',
                  cell: (m) => (
                    <>
                      {personName(m)} {m.userId === user.id && <span className="muted">(you)</span>}
                      {m.notes && <div className="muted small">{m.notes}</div>}
                    </>
                  ),
                },
                { header: 'Email', cell: (m) => m.email },
                { header: 'Role', cell: (m) => <MemberRole member={m} /> },
                { header: 'Joined', cell: (m) => formatDate(m.joinedAt) },
              ]}
              actions={can(account, 'members.manage') ? memberActions : undefined}
            />
          )
        }
      </Load>
      {can(account, 'invitations.manage') && <OpenInvitations accountId={account.id} version={invitationsVersion} />}
      {editing && (
        <MemberNotes
          accountId={account.id}
          member={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title="Remove member"
          action="Remove member"
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            await answer(api.DELETE('/api/v1/accounts/{accountId}/members/{userId}', member(removing)));
            setRemoving(null);
            reload();
          }}
        >
          <p>
            Remove <strong>{removing.email}</strong> from {account.name}? They lose access at once; invite them again to bring them back.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
