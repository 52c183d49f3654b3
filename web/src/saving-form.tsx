import { useState, type ReactNode } from 'react';
import { FormError, type SubmittingForm } from './forms';

/**
 * A form that stays on the page after it saves (profile, password, company details, alias and
 * notes): its title, its error, the page's fields, its button, and beside it a note (a status)
 * once the last save went through, hidden again while the next one runs.
 */
export function SavingForm<F extends Record<string, string>>({
  form,
  onSave,
  label,
  note = 'Saved.',
  title,
  className,
  children,
}: {
  form: SubmittingForm<F>;
  onSave(values: F): Promise<void>;
  label: string;
  note?: string;
  title?: string;
  className?: string;
  children: ReactNode;
}) {
  const [saved, setSaved] = useState(false);
  return (
    <form
      noValidate
      className={className}
      onSubmit={form.submit(async (values) => {
        setSaved(false);
        await onSave(values);
        setSaved(true);
      })}
    >
      {title && <h2>{title}</h2>}
      <FormError message={form.formError} />
      {children}
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          {label}
        </button>
        {saved && (
          <span className="ok-text" role="status">
            {note}
          </span>
        )}
      </div>
    </form>
  );
}
