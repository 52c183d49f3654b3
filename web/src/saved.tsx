import { useState } from 'react';

/**
 * A form that stays on the page after it saves (profile, company details, alias and notes):
 * `track` wraps its action, so that the note beside the button hides while a save runs and
 * shows once it went through.
 */
export function useSaved() {
  const [saved, setSaved] = useState(false);
  const track =
    <V,>(action: (values: V) => Promise<void>) =>
    async (values: V) => {
      setSaved(false);
      await action(values);
      setSaved(true);
    };
  return { saved, track };
}

/** The form's button, and the note (as a status) once the last save went through. */
export function SaveActions({ label, submitting, saved, note = 'Saved.' }: { label: string; submitting: boolean; saved: boolean; note?: string }) {
  return (
    <div className="form-actions">
      <button className="button primary" disabled={submitting}>
        {label}
      </button>
      {saved && (
        <span className="ok-text" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
