import { useEffect, useId, useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { PHONE_PATTERN } from '../../src/domain/phone';
import { ApiError } from './api';
import { textFields, useDraftEnd, useKeptState } from './kept';

type Values = Record<string, string>;
type Validators<F extends Values> = { [K in keyof F]?: (value: F[K], all: F) => string | null };

export interface FieldProps {
  name: string;
  value: string;
  error: string | null;
  onChange(value: string): void;
  onBlur(): void;
}

interface FormOptions<F extends Values> {
  /**
   * Where the values wait while unsent, so that a reload loses nothing: a name unique among the
   * forms, with the id of what the form edits; null for a form with nothing worth keeping.
   */
  draft: string | null;
  /** Fields never written down, however briefly: passwords. */
  secret?: (keyof F)[];
  /** The server's name of a field, where it differs (its errors name it so); it may depend on the values. */
  serverNames?: Partial<Record<keyof F, string>> | ((values: F) => Partial<Record<keyof F, string>>);
}

/**
 * A form's values and its messages per field: the rules run as the user types, once the field has
 * been left or the form submitted while the field was on it (a wizard's next step, or a field that
 * a choice brings in, opens clean), and the server's messages land next to the field they name.
 * Unsent values survive a reload (see FormOptions.draft).
 */
export function useForm<F extends Values>(initial: F, validators: Validators<F>, { draft, secret = [], serverNames = {} }: FormOptions<F>) {
  const [values, setValues] = useKeptState(draft, initial, textFields(initial, secret));
  const sent = useDraftEnd(draft);
  const [touched, setTouched] = useState<Partial<Record<keyof F, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // The form whose first field to fix takes the focus once the render that marks it has happened:
  // a frame's delay is not enough, since React may render a late answer after the next frame.
  const toFocus = useRef<HTMLFormElement | null>(null);
  const [focusRequests, setFocusRequests] = useState(0);
  useEffect(() => {
    const form = toFocus.current;
    toFocus.current = null;
    form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequests]);

  const serverName = (k: keyof F) => (typeof serverNames === 'function' ? serverNames(values) : serverNames)[k] ?? String(k);
  const ruleError = (k: keyof F, all: F = values) => validators[k]?.(all[k], all) ?? null;
  const error = (k: keyof F) => serverErrors[serverName(k)] ?? (touched[k] ? ruleError(k) : null);

  const set = (k: keyof F, value: string) => {
    setValues((v) => ({ ...v, [k]: value }));
    setServerErrors((e) => {
      const { [serverName(k)]: _cleared, ...rest } = e;
      return rest;
    });
  };

  const field = (k: keyof F & string): FieldProps => ({
    name: k,
    value: values[k] as string,
    error: error(k),
    onChange: (value) => set(k, value),
    onBlur: () => setTouched((t) => ({ ...t, [k]: true })),
  });

  /**
   * Runs the action when the rules pass; otherwise moves focus to the first field to fix. The
   * action's end ends the draft, except a wizard's step (`step`), after which the form goes on.
   */
  const submit = (action: (values: F) => Promise<void>, { step = false } = {}) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const shown = Array.from(form.elements, (e) => (e as HTMLInputElement).name).filter((name) => name in values);
    setTouched((t) => ({ ...t, ...Object.fromEntries(shown.map((name) => [name, true])) }));
    setFormError(null);
    const focusFirstInvalid = () => {
      toFocus.current = form;
      setFocusRequests((n) => n + 1);
    };
    if ((Object.keys(values) as (keyof F)[]).some((k) => ruleError(k) !== null)) return focusFirstInvalid();
    setSubmitting(true);
    try {
      await action(values);
      if (!step) sent();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // Each problem lands at the first of its fields this form has; the others are told above the form, in words.
      const names = new Set((Object.keys(values) as (keyof F)[]).map(serverName));
      const mine: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const problem of err.problems) {
        const name = Object.keys(problem.fields).find((n) => names.has(n));
        if (name === undefined) elsewhere.push(problem.sentence);
        else mine[name] ??= problem.fields[name]!;
      }
      setServerErrors(mine);
      if (Object.keys(mine).length > 0) focusFirstInvalid();
      if (elsewhere.length > 0) setFormError(elsewhere.join('. '));
      else if (Object.keys(mine).length === 0) setFormError(err.message);
    } finally {
      setSubmitting(false);
    }
  };

  return { values, set, field, submit, submitting, formError, setFormError };
}

/** "must be an email address" reads as "Email must be an email address"; whole sentences stay as they are. */
const sentence = (label: string, message: string) => (/^[a-z]/.test(message) ? `${label} ${message}` : message);

interface Labelled {
  label: string;
  hint?: ReactNode;
}

/** The hint under a field's control, or in its place the error, each by an id the control names (see described). */
function FieldNotes({ id, hint, error, label }: Labelled & { id: string; error: string | null }) {
  return (
    <>
      {hint && !error && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <p className="field-error" id={`${id}-error`} aria-live="polite">
        {error && sentence(label, error)}
      </p>
    </>
  );
}

function Described({ id, hint, error, children, label }: Labelled & { id: string; error: string | null; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      <FieldNotes id={id} label={label} hint={hint} error={error} />
    </div>
  );
}

/** How a control names what describes it: its error, else its hint. */
const described = (id: string, error: string | null, hint: ReactNode) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
});

/** What every field's control carries: its value, and the error or hint that describes it. */
function controlProps(id: string, field: FieldProps, hint: ReactNode) {
  return { id, name: field.name, value: field.value, onBlur: field.onBlur, ...described(id, field.error, hint) };
}

type InputExtras = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'value' | 'onChange' | 'onBlur'>;

export function TextField({ label, hint, field, ...input }: Labelled & { field: FieldProps } & InputExtras) {
  const id = useId();
  return (
    <Described id={id} label={label} hint={hint} error={field.error}>
      <input {...controlProps(id, field, hint)} onChange={(e) => field.onChange(e.target.value)} {...input} />
    </Described>
  );
}

type TextAreaExtras = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'value' | 'onChange' | 'onBlur'>;

export function TextAreaField({ label, hint, field, ...textarea }: Labelled & { field: FieldProps } & TextAreaExtras) {
  const id = useId();
  return (
    <Described id={id} label={label} hint={hint} error={field.error}>
      <textarea {...controlProps(id, field, hint)} onChange={(e) => field.onChange(e.target.value)} {...textarea} />
    </Described>
  );
}

type SelectExtras = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'value' | 'onChange' | 'onBlur'>;

export function SelectField({ label, hint, field, children, ...select }: Labelled & { field: FieldProps; children: ReactNode } & SelectExtras) {
  const id = useId();
  return (
    <Described id={id} label={label} hint={hint} error={field.error}>
      <select {...controlProps(id, field, hint)} onChange={(e) => field.onChange(e.target.value)} {...select}>
        {children}
      </select>
    </Described>
  );
}

/** A checkbox as a field: its label beside it, its hint or error under it. */
export function CheckboxField({ label, hint, name, checked, error, onChange }: Labelled & { name: string; checked: boolean; error: string | null; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className={`field field-check${error ? ' field-invalid' : ''}`}>
      <input type="checkbox" id={id} name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} {...described(id, error, hint)} />
      <label htmlFor={id}>{label}</label>
      <FieldNotes id={id} label={label} hint={hint} error={error} />
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}

// Rules shared by several forms, worded like the server's own messages.
export const rules = {
  required: (v: string) => (v.trim() === '' ? 'is required' : null),
  email: (v: string) => (v.trim() === '' ? 'is required' : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? null : 'must be an email address'),
  password: (v: string) => (v.length < 8 ? 'must be at least 8 characters' : v.length > 200 ? 'must be at most 200 characters' : null),
  phone: (v: string) => (PHONE_PATTERN.test(v.trim()) ? null : 'must be a phone number'),
};

/** One radio button of a fieldset, its explanation tied to it rather than inside its name. */
export function Choice({ name, label, hint, checked, onSelect }: { name: string; label: string; hint?: string; checked: boolean; onSelect(): void }) {
  const id = useId();
  return (
    <div className="choice">
      <input type="radio" id={id} name={name} checked={checked} onChange={onSelect} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** What a component around a form's fields needs of useForm: its submit, its form-wide error, whether it is busy. */
export type SubmittingForm<F extends Values> = Pick<ReturnType<typeof useForm<F>>, 'submit' | 'formError' | 'submitting'>;
