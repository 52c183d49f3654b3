import { useId, useState } from 'react';

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

export const LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
  ['es', 'Español'],
];
