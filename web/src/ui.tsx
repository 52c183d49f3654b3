import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { answer, api, ApiError, errorMessage } from './api';
import { personName } from './format';
import { DraftLifetime, useKeptState } from './kept';
import { useSessionState } from './session';

/** A failed load says whether the member's role refused it: trying again cannot help then. */
export type Loaded<T> = { status: 'loading' } | { status: 'error'; message: string; forbidden: boolean } | { status: 'ready'; data: T };

const refusedByRole = (err: unknown) => err instanceof ApiError && err.code === 'forbidden';

/**
 * Loads data for a page and reloads it on demand; a stale answer never overwrites a newer one.
 * `change` applies the answer of a change to what was loaded, so the page shows its result
 * without asking again.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void, (change: (data: T) => T) => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // The caller names what the load depends on, as with useEffect itself.
  // eslint-disable-next-line react-hooks/exhaustive-deps, react-hooks/use-memo
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    // A reload keeps what is shown; only a first load or a failure shows the loading state.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
    run().then(
      (data) => current && setState({ status: 'ready', data }),
      (err: unknown) => current && setState({ status: 'error', message: errorMessage(err), forbidden: refusedByRole(err) }),
    );
    return () => {
      current = false;
    };
  }, [run, generation]);
  const change = (apply: (data: T) => T) => setState((s) => (s.status === 'ready' ? { status: 'ready', data: apply(s.data) } : s));
  return [state, () => setGeneration((g) => g + 1), change];
}

/** A request made from a list (revoke, block…): the list reloads after it, and a refusal is kept to show above the list. */
export function useListAction(reload: () => void) {
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<unknown>) => {
    setError(null);
    try {
      await request();
      reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { error, run };
}

/** Shows the loading and error states of a Loaded value, and the content once it is ready. */
export function Load<T>({ state, retry, label, children }: { state: Loaded<T>; retry: () => void; label: string; children: (data: T) => ReactNode }) {
  if (state.status === 'loading') {
    return (
      <p className="state" role="status">
        <span className="spinner" aria-hidden="true" /> Loading {label}…
      </p>
    );
  }
  if (state.status === 'error') {
    if (state.forbidden) return <NotAllowed what={`see ${label}`} />;
    return (
      <div className="state state-error" role="alert">
        <p>
          Could not load {label}: {state.message}
        </p>
        <button type="button" className="button secondary" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(state.data)}</>;
}

/**
 * What a member's role does not let them do here, and who can help: the account's administrators
 * by name (every member may see who they are), instead of a Try again that cannot help.
 */
export function NotAllowed({ what }: { what: string }) {
  const session = useSessionState();
  const account = session.status === 'signed-in' ? session.session.account : null;
  const [admins] = useLoad(
    async () => (account ? (await answer(api.GET('/api/v1/accounts/{accountId}', { params: { path: { accountId: account.id } } }))).admins : []),
    [account?.id],
  );
  const names = admins.status === 'ready' ? admins.data.map((a) => `${personName(a)} (${a.email})`) : [];
  return (
    <div className="state state-error" role="alert">
      <p>
        Your role in {account?.name ?? 'this account'} does not let you {what}.
      </p>
      <p>{names.length > 0 ? `Ask one of its administrators for access: ${names.join(', ')}.` : 'Ask an account administrator for access.'}</p>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** A modal dialog on the native <dialog>: focus stays inside, Escape closes it, and focus goes back where it was. */
export function Dialog({ title, onClose, children, wide = false }: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  // A dialog may open over another (a confirmation over the details): each names itself by its own title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    dialog?.showModal();
    return () => {
      dialog?.close();
      // React has taken the dialog out of the page by now, so the browser no longer returns the focus itself.
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <DraftLifetime.Provider value="until-closed">{children}</DraftLifetime.Provider>
    </dialog>
  );
}

/** The foot of a dialog's form: Cancel, and the button that sends the form. */
export function DialogActions({ label, disabled, onCancel }: { label: string; disabled: boolean; onCancel(): void }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button secondary" onClick={onCancel}>
        Cancel
      </button>
      <button className="button primary" disabled={disabled}>
        {label}
      </button>
    </div>
  );
}

/**
 * A dialog asking to confirm one action that cannot be taken back: the question, Cancel (focused
 * first, so that Enter does no harm) and the action; a refusal shows inside, the dialog stays.
 */
export function ConfirmDialog({ title, action, onConfirm, onCancel, children }: { title: string; action: string; onConfirm(): Promise<void>; onCancel(): void; children: ReactNode }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={title} onClose={onCancel}>
      {children}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onConfirm();
            } catch (err) {
              setError(errorMessage(err));
              setBusy(false);
            }
          }}
        >
          {action}
        </button>
      </div>
    </Dialog>
  );
}

/** The foot of a dialog that only shows things: its one button closes it. */
export function CloseActions({ onClose }: { onClose(): void }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button secondary" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

/** Puts text on the clipboard; false when the browser refused. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Outside a secure context (a server reached over plain http by its address) there is no
    // clipboard API; copying a selection still works there.
    const area = document.createElement('textarea');
    area.value = text;
    area.readOnly = true;
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/**
 * The Copy button beside a key or token shown in full; `label` names what it copies ("Copy the
 * key of Office"), since a table has one per row. What happened shows beside it and is announced.
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [status, setStatus] = useState('');
  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(''), 4000);
    return () => clearTimeout(timer);
  }, [status]);
  return (
    <span className="copy">
      <button
        type="button"
        className="button secondary small"
        aria-label={label}
        onClick={async (e) => {
          const button = e.currentTarget;
          const copied = await copyText(text);
          // The fallback's selection took focus away; a keyboard user stays on the button.
          button.focus();
          setStatus(copied ? 'Copied' : 'Not copied: select it and copy it by hand');
        }}
      >
        Copy
      </button>
      <span role="status" className="copy-status">
        {status}
      </span>
    </span>
  );
}

/**
 * What a finished task did (an order placed, a key registered), in place of the form that did it:
 * the form that had the focus is gone, so the heading takes it, for keyboard and screen reader users.
 */
export function DonePanel({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="panel done" role="status" aria-labelledby="done-title">
      <h2 id="done-title" tabIndex={-1} ref={heading}>
        {title}
      </h2>
      {children}
    </div>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A labelled choice of a list's toolbar (Display, Arrange by...): one value out of fixed pairs. */
export function ChoiceFilter<V extends string>({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: V;
  choices: readonly (readonly [V, string])[];
  onChange(value: NoInfer<V>): void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as V)}>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "← Previous · Page N · Next →" under a cursor-paged list; `onNext` is absent on the last page. */
export function PagerNav({ label, page, onPrevious, onNext }: { label: string; page: number; onPrevious: (() => void) | null; onNext: (() => void) | null }) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button secondary small" disabled={!onPrevious} onClick={() => onPrevious?.()}>
        ← Previous
      </button>
      <span aria-live="polite">Page {page}</span>
      <button type="button" className="button secondary small" disabled={!onNext} onClick={() => onNext?.()}>
        Next →
      </button>
    </nav>
  );
}

/**
 * A list's search box: what is typed is kept across a reload under `kept`, and the list searches
 * for it (trimmed) once submitted, through `onSearch`.
 */
export function SearchBox({ kept, label, placeholder, onSearch }: { kept: string; label: string; placeholder: string; onSearch(q: string): void }) {
  const [typed, setTyped] = useKeptState(`${kept}:typed`, '');
  const id = useId();
  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(typed.trim());
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={placeholder} />
      <button className="button secondary">Search</button>
    </form>
  );
}
