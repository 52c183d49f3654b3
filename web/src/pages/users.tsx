import { useState } from 'react';
import { accountPath, api, ApiError } from '../api';
import { formatDate } from '../format';
import { useSession } from '../session';
import { Badge, Empty, Load, useLoad } from '../ui';

interface Member {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: 'admin' | 'member';
  status: 'active' | 'blocked';
  joinedAt: string;
}

/** The business account's members: administrators promote, demote, block and unblock them here. */
export function Users() {
  const { account, user } = useSession();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [state, reload] = useLoad(() => {
    const params = new URLSearchParams({ limit: '200' });
    if (query) params.set('search', query);
    return api<{ items: Member[] }>('GET', `${accountPath(account.id)}/members?${params}`);
  }, [account.id, query]);

  const act = (method: 'PATCH' | 'POST', path: string, body?: unknown) => async () => {
    setError(null);
    try {
      await api(method, `${accountPath(account.id)}/members/${path}`, body);
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong');
    }
  };

  return (
    <section>
      <div className="page-head">
        <h1>Users</h1>
        <p className="muted">The members of {account.name}. A change of role or a block applies at once.</p>
      </div>
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <Load state={state} retry={reload} label="the members">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>{query ? `No member matches “${query}”.` : 'This account has no members yet.'}</p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table aria-label="Members">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Joined</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((m) => {
                    const name = `${m.firstName} ${m.lastName}`;
                    const self = m.userId === user.id;
                    return (
                      <tr key={m.userId}>
                        <td>
                          {name} {self && <span className="muted">(you)</span>}
                        </td>
                        <td>{m.email}</td>
                        <td>
                          {m.role === 'admin' ? 'Account Administrator' : 'Regular Member'}
                          {m.status === 'blocked' && (
                            <>
                              {' '}
                              <Badge tone="suspended">Blocked</Badge>
                            </>
                          )}
                        </td>
                        <td>{formatDate(m.joinedAt)}</td>
                        <td className="actions">
                          {!self && (
                            <>
                              <button type="button" className="button link" aria-label={`${m.role === 'admin' ? 'Make regular member' : 'Make administrator'}: ${name}`} onClick={act('PATCH', m.userId, { role: m.role === 'admin' ? 'member' : 'admin' })}>
                                {m.role === 'admin' ? 'Make member' : 'Make admin'}
                              </button>
                              <button type="button" className="button link danger-text" aria-label={`${m.status === 'blocked' ? 'Unblock' : 'Block'} ${name}`} onClick={act('POST', `${m.userId}/${m.status === 'blocked' ? 'unblock' : 'block'}`)}>
                                {m.status === 'blocked' ? 'Unblock' : 'Block'}
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Load>
    </section>
  );
}
