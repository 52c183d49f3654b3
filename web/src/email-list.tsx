import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Answer, RequestBody } from './api';
import { FormError, SelectField, type FieldProps, type SubmittingForm } from './forms';
import { useDraftEnd, useKeptState, type KeptCodec } from './kept';

/** Addresses typed by hand (one per line, or separated by commas) or a CSV file chosen instead. */
export type EmailSource = { kind: 'typed'; emails: string[] } | { kind: 'file'; name: string; csv: string };

export const splitEmails = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);

export function EmailSourceField({ value, onChange, error }: { value: EmailSource; onChange(source: EmailSource): void; error: string | null }) {
  const id = useId();
  const [text, setText] = useState(value.kind === 'typed' ? value.emails.join('\n') : '');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={`${id}-emails`}>Email addresses</label>
      <textarea
        id={`${id}-emails`}
        rows={4}
        value={text}
        disabled={value.kind === 'file'}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          onChange({ kind: 'typed', emails: splitEmails(e.target.value) });
        }}
      />
      <p className="hint" id={`${id}-hint`}>
        One per line, or separated by commas.
      </p>
      <p className="or">or</p>
      <label htmlFor={`${id}-file`}>CSV file</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".csv,text/csv,text/plain"
        aria-describedby={`${id}-file-hint`}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (file) onChange({ kind: 'file', name: file.name, csv: await file.text() });
          else onChange({ kind: 'typed', emails: splitEmails(text) });
        }}
      />
      <p className="hint" id={`${id}-file-hint`}>
        The column headed “email”, or the first column; a chosen file is sent instead of the typed addresses.
      </p>
      <p className="field-error" id={`${id}-error`} aria-live="polite">
        {error}
      </p>
    </div>
  );
}

export const emailSourceRule = (source: EmailSource) => (source.kind === 'typed' && source.emails.length === 0 ? 'Type at least one email address or choose a CSV file' : null);

/** How long an emailed invitation stays valid, as the server allows it. */
export const daysRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 || Number(v) > 90 ? 'must be between 1 and 90 days' : null);

/**
 * What the server answers to a list of addresses: who was invited, who was skipped and why, which
 * entries it refused (absent where it refuses the whole typed list instead).
 */
export type SendResult =
  | Answer<'post', '/api/v1/accounts/{accountId}/invitations'>
  | Answer<'post', '/api/v1/accounts/{accountId}/invitations/csv'>
  | Answer<'post', '/api/v1/accounts/{accountId}/install-invitations'>
  | Answer<'post', '/api/v1/accounts/{accountId}/install-invitations/csv'>;

/** Why the server skipped an address, in the words of its answer. */
export type SkipReason<R extends SendResult> = R['skipped'][number]['reason'];

/** How a page sends its addresses: the typed list as JSON, or the chosen file as CSV. */
export interface Senders<R extends SendResult> {
  typed(emails: string[]): Promise<R>;
  file(csv: string): Promise<R>;
}

/** An answer, and how its refused entries are counted: lines of a file, or entries of the typed list. */
export interface Sent<R extends SendResult> {
  result: R;
  entry: 'Line' | 'Entry';
}

/** A draft keeps typed addresses; a chosen file cannot be chosen again by the page, so it is not kept. */
const typedAddresses: KeptCodec<EmailSource> = {
  store: (source) => (source.kind === 'typed' ? source.emails : []),
  revive: (stored) => (Array.isArray(stored) && stored.every((e) => typeof e === 'string') ? { kind: 'typed', emails: stored } : null),
};

/**
 * The addresses of an invitation form (kept under `draft` until sent) and what sending them answered. `guard` wraps the form's
 * submit handler: without an address the field says so and neither the form's rules nor the
 * request run. `send` sends the typed list or the chosen file, whichever the user gave.
 */
export function useEmailSource<R extends SendResult>(draft: string) {
  const [source, setSource] = useKeptState<EmailSource>(draft, { kind: 'typed', emails: [] }, typedAddresses);
  const sendingDone = useDraftEnd(draft);
  const [touched, setTouched] = useState(false);
  const [sent, setSent] = useState<Sent<R> | null>(null);
  return {
    field: { value: source, onChange: setSource, error: touched ? emailSourceRule(source) : null },
    sent,
    guard: (submit: (event: FormEvent<HTMLFormElement>) => unknown) => (event: FormEvent<HTMLFormElement>) => {
      setTouched(true);
      if (emailSourceRule(source)) return event.preventDefault();
      return submit(event);
    },
    send: async (senders: Senders<R>) => {
      setSent(null);
      const result = source.kind === 'file' ? await senders.file(source.csv) : await senders.typed(source.emails);
      setSent({ result, entry: source.kind === 'file' ? 'Line' : 'Entry' });
      sendingDone();
    },
  };
}

/**
 * An invitation form: the page's fields (the addresses among them, where the page wants them) and
 * "Send invitations"; nothing is sent without an address nor while the form's own rules fail.
 */
export function InvitationForm<V extends Record<string, string>>({ form, emails, onSend, className, children }: { form: SubmittingForm<V>; emails: Pick<ReturnType<typeof useEmailSource>, 'guard'>; onSend(values: V): Promise<void>; className?: string; children: ReactNode }) {
  return (
    <form noValidate className={className} onSubmit={emails.guard(form.submit(onSend))}>
      <FormError message={form.formError} />
      {children}
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          Send invitations
        </button>
      </div>
    </form>
  );
}

/** "2 invited, 1 skipped": each address with what became of it; skip reasons in the page's words. */
export function SentSummary<R extends SendResult>({ sent, skipReasons, level: Heading }: { sent: Sent<R>; skipReasons: Record<SkipReason<R>, string>; level: 'h2' | 'h3' }) {
  const { invited, skipped } = sent.result;
  const rejectedRows = 'rejectedRows' in sent.result ? sent.result.rejectedRows : [];
  return (
    <div className="results" role="status" aria-label="Invitations sent">
      <Heading className="results-title">
        {invited.length} invited{skipped.length ? `, ${skipped.length} skipped` : ''}
        {rejectedRows.length ? `, ${rejectedRows.length} rejected` : ''}
      </Heading>
      <ul>
        {invited.map((i) => (
          <li key={i.id}>{i.email}: invited</li>
        ))}
        {skipped.map((s) => (
          <li key={s.email}>
            {s.email}: {skipReasons[s.reason as SkipReason<R>]}
          </li>
        ))}
        {rejectedRows.map((r) => (
          <li key={r.line} className="danger-text">
            {sent.entry} {r.line} “{r.value}”: {r.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The languages the server writes invitation emails in. */
export type Language = NonNullable<RequestBody<'post', '/api/v1/accounts/{accountId}/invitations'>['language']>;

const LANGUAGES: [Language, string][] = [
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
  ['es', 'Español'],
];

/** The language the invitation emails are written in. */
export function LanguageField({ field }: { field: FieldProps }) {
  return (
    <SelectField label="Email language" field={field}>
      {LANGUAGES.map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </SelectField>
  );
}
