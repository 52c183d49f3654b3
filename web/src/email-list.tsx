import { useId, useState, type ReactNode } from 'react';
import type { Answer, RequestBody } from './api';
import { FormError, SelectField, TextAreaField, type FieldProps, type SubmittingForm } from './forms';

/** A CSV file chosen instead of the typed addresses. */
interface ChosenFile {
  name: string;
  csv: string;
}

export const splitEmails = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0);

/**
 * What the server answers to a list of addresses: who was invited, who was skipped and why, which
 * entries it refused.
 */
export type SendResult =
  | Answer<'post', '/api/v1/accounts/{accountId}/invitations'>
  | Answer<'post', '/api/v1/accounts/{accountId}/invitations/csv'>
  | Answer<'post', '/api/v1/accounts/{accountId}/install-invitations'>
  | Answer<'post', '/api/v1/accounts/{accountId}/install-invitations/csv'>;

type SkipReason = SendResult['skipped'][number]['reason'];

/** Why an address was not invited, the same words on every invitation form. */
const SKIP_REASONS: Record<SkipReason, string> = {
  already_member: 'already a member',
  already_invited: 'already has a pending invitation; use Send again in the list to email it once more',
  duplicate: 'listed twice',
};

/** How a page sends its addresses: the typed list as JSON, or the chosen file as CSV. */
export interface Senders {
  typed(emails: string[]): Promise<SendResult>;
  file(csv: string): Promise<SendResult>;
}

/** An answer, and how its refused entries are counted: lines of a file, or entries of the typed list. */
interface Sent {
  result: SendResult;
  entry: 'Line' | 'Entry';
}

/**
 * The CSV file an invitation form may send instead of its typed addresses, and what sending
 * answered. The typed addresses are the form's own `emails` field: kept in its draft, checked by
 * `rule`, and where the server's messages about them land.
 */
export function useEmailSource() {
  const [file, setFile] = useState<ChosenFile | null>(null);
  // A file input cannot be emptied by its value; a new one replaces it once its file was sent.
  const [fileInput, setFileInput] = useState(0);
  const [sent, setSent] = useState<Sent | null>(null);
  return {
    file,
    fileInput,
    chooseFile: setFile,
    sent,
    rule: (typed: string) => (file === null && splitEmails(typed).length === 0 ? 'Type at least one email address or choose a CSV file' : null),
    /**
     * Sends the chosen file, or else the typed addresses, and answers what the address box keeps:
     * the typed entries the server refused, for the user to fix; whatever went out leaves it.
     */
    send: async (typed: string, senders: Senders): Promise<string> => {
      setSent(null);
      if (file) {
        setSent({ result: await senders.file(file.csv), entry: 'Line' });
        setFile(null);
        setFileInput((n) => n + 1);
        return typed;
      }
      const result = await senders.typed(splitEmails(typed));
      setSent({ result, entry: 'Entry' });
      return result.rejectedRows.map((r) => r.value).join('\n');
    },
  };
}

type EmailSource = ReturnType<typeof useEmailSource>;

/** The address box (the form's `emails` field) and the CSV file that may replace it. */
export function EmailSourceField({ field, source }: { field: FieldProps; source: Pick<EmailSource, 'file' | 'fileInput' | 'chooseFile'> }) {
  const id = useId();
  return (
    <>
      <TextAreaField label="Email addresses" rows={4} hint="One per line, or separated by commas." disabled={source.file !== null} field={field} />
      <p className="or">or</p>
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input
          key={source.fileInput}
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv,text/plain"
          aria-describedby={`${id}-file-hint`}
          onChange={async (e) => {
            const chosen = e.target.files?.[0];
            source.chooseFile(chosen ? { name: chosen.name, csv: await chosen.text() } : null);
          }}
        />
        <p className="hint" id={`${id}-file-hint`}>
          The column headed “email”, or the first column; a chosen file is sent instead of the typed addresses.
        </p>
      </div>
    </>
  );
}

/** How long an emailed invitation stays valid, as the server allows it. */
export const daysRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 || Number(v) > 90 ? 'must be between 1 and 90 days' : null);

/**
 * An invitation form: the page's fields (the addresses among them, where the page wants them) and
 * "Send invitations"; nothing is sent while the form's rules fail. Once sent, the address box
 * keeps only the entries the server refused.
 */
export function InvitationForm<V extends { emails: string } & Record<string, string>>({
  form,
  emails,
  senders,
  onSent,
  className,
  children,
}: {
  form: SubmittingForm<V> & { set(name: 'emails', value: string): void };
  emails: Pick<EmailSource, 'send'>;
  senders(values: V): Senders;
  onSent(): void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      noValidate
      className={className}
      onSubmit={form.submit(async (values) => {
        form.set('emails', await emails.send(values.emails, senders(values)));
        onSent();
      })}
    >
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

/** "2 invited, 1 skipped": each address with what became of it. */
export function SentSummary({ sent, level: Heading }: { sent: Sent; level: 'h2' | 'h3' }) {
  const { invited, skipped, rejectedRows } = sent.result;
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
            {s.email}: {SKIP_REASONS[s.reason]}
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
