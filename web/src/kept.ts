import { createContext, useContext, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

/*
 * What a person typed or chose survives a reload of the tab: form drafts, list filters and pages
 * live in sessionStorage, which belongs to this tab alone and dies with it. Everything kept is
 * forgotten at sign-out, and when somebody else signs in to the same tab.
 */
const PREFIX = 'keyline.kept:';
const OWNER = 'keyline.kept-owner';

function read<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // A full or disabled storage only costs the draft, never the page.
  }
}

function forget(key: string): void {
  sessionStorage.removeItem(PREFIX + key);
}

export function forgetAll(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}

/** Called with the signed-in user: what another user left in this tab is not theirs to see. */
export function keepFor(userId: string): void {
  if (sessionStorage.getItem(OWNER) !== userId) forgetAll();
  sessionStorage.setItem(OWNER, userId);
}

/** The account the pages show: what is kept on one account's pages stays there. */
export const KeptScope = createContext('');

/** The storage name of `key` in the current scope. */
export function useKeptKey(key: string | null): string | null {
  const scope = useContext(KeptScope);
  return key === null ? null : `${scope}/${key}`;
}

/**
 * Inside a dialog, a draft lasts until the dialog closes; a page's draft lasts until the form is
 * sent. Neither is touched by a reload, which unmounts nothing.
 */
export const DraftLifetime = createContext<'until-sent' | 'until-closed'>('until-sent');

/** How a kept value is written down and read back; `revive` answers null when it no longer fits the page. */
export interface KeptCodec<T> {
  store(value: T): unknown;
  revive(stored: unknown): T | null;
}

const asIs: KeptCodec<never> = { store: (v) => v, revive: (s) => s as never };

/**
 * Fields of text (a form's values, one line of a list) kept by the names of `template`, which
 * also fills what the stored value lacks; `secret` fields are never written down.
 */
export function textFields<F extends Record<string, string>>(template: F, secret: readonly (keyof F)[] = []): KeptCodec<F> {
  const kept = (Object.keys(template) as (keyof F & string)[]).filter((k) => !secret.includes(k));
  return {
    store: (values) => Object.fromEntries(kept.map((k) => [k, values[k]])),
    revive: (stored) => {
      if (typeof stored !== 'object' || stored === null) return null;
      const values = { ...template };
      for (const k of kept) {
        const v = (stored as Record<string, unknown>)[k];
        if (typeof v === 'string') values[k] = v as F[typeof k];
      }
      return values;
    },
  };
}

/** A list kept entry by entry (product lines, rows); an empty one starts the page afresh. */
export function listOf<T>(entry: KeptCodec<T>): KeptCodec<T[]> {
  return {
    store: (list) => list.map((e) => entry.store(e)),
    revive: (stored) => {
      if (!Array.isArray(stored)) return null;
      const list = stored.map((e) => entry.revive(e)).filter((e): e is T => e !== null);
      return list.length > 0 ? list : null;
    },
  };
}

/**
 * useState whose value a reload keeps, under `key` (null: an ordinary state). Nothing is stored
 * until the value changes, so an untouched form follows the server's data.
 */
export function useKeptState<T>(name: string | null, initial: T | (() => T), codec: KeptCodec<T> = asIs): [T, Dispatch<SetStateAction<T>>] {
  const key = useKeptKey(name);
  const [value, setValue] = useState<T>(() => {
    const stored = key === null ? undefined : read<unknown>(key);
    const revived = stored === undefined ? null : codec.revive(stored);
    return revived ?? (initial instanceof Function ? initial() : initial);
  });
  const first = useRef(value);
  useEffect(() => {
    if (key !== null && value !== first.current) write(key, codec.store(value));
    // The codec is fixed for the state's life; callers may pass it inline.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, value]);
  return [value, setValue];
}

/**
 * A draft's end: returns the forgetting to call once it is sent, and forgets it by itself when
 * the component leaves the page (a dialog closing) if its lifetime says so.
 */
export function useDraftEnd(name: string | null): () => void {
  const key = useKeptKey(name);
  const lifetime = useContext(DraftLifetime);
  useEffect(() => {
    if (key === null || lifetime !== 'until-closed') return;
    return () => forget(key);
  }, [key, lifetime]);
  return () => {
    if (key !== null) forget(key);
  };
}
