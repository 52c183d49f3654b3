import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { answer, api, ApiError, setCsrfToken, type MyAccount, type User } from './api';
import { forgetAll, keepFor } from './kept';

/** Something a member may do in an account, as GET /me answers it. */
export type Permission = MyAccount['permissions'][number];

/**
 * Whether the member may do this in the account: the portal offers a menu entry, page or action
 * only then. The API answers the permissions by the rule it decides each request with, and
 * stays the authority (a change since the last /me is refused there).
 */
export const can = (account: MyAccount, permission: Permission) => account.permissions.includes(permission);

export interface Session {
  user: User;
  accounts: MyAccount[];
  /** The account the pages show: the one picked in the account switcher. */
  account: MyAccount;
  selectAccount(id: string): void;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; session: Session };

const SessionContext = createContext<{ state: SessionState; signedIn(csrfToken: string): Promise<void> } | null>(null);
const ACCOUNT_KEY = 'keyline.account';

/** The business account an administrator most likely came for, else the personal one. */
function defaultAccount(accounts: MyAccount[]): MyAccount | undefined {
  const remembered = accounts.find((a) => a.id === localStorage.getItem(ACCOUNT_KEY));
  return remembered ?? accounts.find((a) => a.kind === 'business' && a.role === 'admin' && a.status === 'active') ?? accounts.find((a) => a.kind === 'personal') ?? accounts[0];
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<{ user: User; accounts: MyAccount[] } | null | undefined>(undefined);
  const [accountId, setAccountId] = useState<string | null>(null);

  const loadMe = useCallback(async () => {
    const loaded = await answer(api.GET('/api/v1/me'));
    keepFor(loaded.user.id);
    setMe(loaded);
    setAccountId((current) => (loaded.accounts.some((a) => a.id === current) ? current : (defaultAccount(loaded.accounts)?.id ?? null)));
  }, []);

  useEffect(() => {
    answer(api.GET('/api/v1/sessions/current'))
      .then(async ({ csrfToken }) => {
        setCsrfToken(csrfToken);
        await loadMe();
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setMe(null);
        else throw err;
      });
  }, [loadMe]);

  const signedIn = useCallback(
    async (csrfToken: string) => {
      setCsrfToken(csrfToken);
      await loadMe();
    },
    [loadMe],
  );

  const value = useMemo(() => {
    let state: SessionState;
    const account = me?.accounts.find((a) => a.id === accountId) ?? (me ? defaultAccount(me.accounts) : undefined);
    if (me === undefined) state = { status: 'loading' };
    else if (me === null || !account) state = { status: 'anonymous' };
    else {
      state = {
        status: 'signed-in',
        session: {
          user: me.user,
          accounts: me.accounts,
          account,
          selectAccount: (id) => {
            localStorage.setItem(ACCOUNT_KEY, id);
            setAccountId(id);
          },
          refresh: loadMe,
          signOut: async () => {
            await answer(api.DELETE('/api/v1/sessions/current')).catch(() => undefined);
            forgetAll();
            setCsrfToken(null);
            setMe(null);
          },
        },
      };
    }
    return { state, signedIn };
  }, [me, accountId, loadMe, signedIn]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function useSessionContext() {
  const context = useContext(SessionContext);
  if (!context) throw new Error('SessionProvider is missing');
  return context;
}

export const useSessionState = () => useSessionContext().state;
export const useSignedIn = () => useSessionContext().signedIn;

/** The signed-in session; only pages inside the signed-in shell call it. */
export function useSession(): Session {
  const state = useSessionState();
  if (state.status !== 'signed-in') throw new Error('useSession outside the signed-in shell');
  return state.session;
}
