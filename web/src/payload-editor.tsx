import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { CheckboxField, SelectField, TextAreaField, TextField, type FieldProps } from './forms';
import { useKeptState } from './kept';
import type { Payload, PayloadType, SettingDefinition, SettingValue } from './profile-data';

/*
 * The payload pane (the desktop guides' "payloads are listed in the left pane… the settings in the
 * right pane"), for whatever holds payloads: a configuration profile, a group policy. Every form
 * is drawn from its type's definition, so a type a vendor adds to a product needs nothing here.
 */

export interface PayloadEditorProps {
  /** The payload types to offer, as the product defines them. */
  types: readonly PayloadType[];
  /** The payloads as they will be sent: a payload's place here is its `n` in the server's messages. */
  payloads: readonly Payload[];
  onChange(payloads: Payload[]): void;
  /**
   * The server's messages by the place they name: `payloads.<n>.settings.<key>`, `payloads.<n>.type`…
   * Pass a new object for each answer (and keep it in state): a new one shows its first problem.
   */
  errors: Readonly<Record<string, string>>;
  /** Where the chosen payload is kept across a reload; null keeps nothing. */
  kept: string | null;
  /** What the list of payloads is called, for those who hear the page. */
  label?: string;
}

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/** A payload begins with its switches off, so the boxes show what it will deliver. */
const switchesOff = (type: PayloadType): Payload['settings'] => Object.fromEntries(type.settings.filter((s) => s.kind === 'boolean').map((s) => [s.key, false]));

function withSetting(settings: Payload['settings'], key: string, value: SettingValue | undefined): Payload['settings'] {
  const { [key]: _old, ...rest } = settings;
  return value === undefined ? rest : { ...rest, [key]: value };
}

const settingPath = (n: number, key: string) => `payloads.${n}.settings.${key}`;

/**
 * What to say at a setting: the server's message about it, or about one of its entries (a list's
 * "allowedDevices.2" is "Entry 3 …", counted from 1 as people count).
 */
function messageAt(errors: Readonly<Record<string, string>>, path: string): string | null {
  if (errors[path] !== undefined) return errors[path];
  for (const [at, message] of Object.entries(errors)) {
    const entry = at.startsWith(`${path}.`) ? at.slice(path.length + 1) : null;
    if (entry !== null && /^\d+$/.test(entry)) return `Entry ${Number(entry) + 1}${/^[a-z]/.test(message) ? ' ' : ': '}${message}`;
  }
  return null;
}

/** The messages about payload `n` that name no field of its pane (its type, a setting its type does not have). */
function paneMessages(errors: Readonly<Record<string, string>>, n: number, type: PayloadType): string[] {
  const fields = [`payloads.${n}.enabled`, ...type.settings.map((s) => settingPath(n, s.key))];
  const ofField = (at: string) => fields.some((f) => at === f || at.startsWith(`${f}.`));
  return Object.entries(errors)
    .filter(([at]) => (at === `payloads.${n}` || at.startsWith(`payloads.${n}.`)) && !ofField(at))
    .map(([, message]) => message);
}

/** How many of the messages are about payload `n`. */
const problemsOf = (errors: Readonly<Record<string, string>>, n: number) => Object.keys(errors).filter((at) => at === `payloads.${n}` || at.startsWith(`payloads.${n}.`)).length;

export function PayloadEditor({ types, payloads, onChange, errors, kept, label = 'Payloads' }: PayloadEditorProps) {
  const id = useId();
  const panel = useRef<HTMLDivElement>(null);
  const [chosen, setChosen] = useKeptState(kept === null ? null : `${kept}:pane`, types[0]?.type ?? '');
  // A message leaves its field once the field is changed; the next answer brings its own.
  const [hidden, setHidden] = useState({ errors, paths: NOTHING_HIDDEN });
  const hiddenPaths = hidden.errors === errors ? hidden.paths : NOTHING_HIDDEN;
  const shownErrors = Object.fromEntries(Object.entries(errors).filter(([at]) => ![...hiddenPaths].some((p) => at === p || at.startsWith(`${p}.`))));
  // A new answer opens the first payload it finds fault with, whose first marked field then takes the focus.
  const [answered, setAnswered] = useState(errors);
  if (answered !== errors) {
    setAnswered(errors);
    const first = payloads.find((_, n) => problemsOf(errors, n) > 0);
    if (first) setChosen(first.type);
  }
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const current = types.find((t) => t.type === chosen) ?? types[0];
  if (!current) return <p className="muted">This product has no payload types.</p>;
  const n = payloads.findIndex((p) => p.type === current.type);
  const payload = payloads[n];

  const change = (type: PayloadType, apply: (p: Payload) => Payload, path: string) => {
    const at = payloads.findIndex((p) => p.type === type.type);
    const next = apply(at < 0 ? { type: type.type, enabled: false, settings: switchesOff(type) } : payloads[at]!);
    setHidden({ errors, paths: new Set([...hiddenPaths, path]) });
    onChange(at < 0 ? [...payloads, next] : payloads.map((p, i) => (i === at ? next : p)));
  };
  const at = n < 0 ? payloads.length : n;

  const tabId = (type: string) => `${id}-tab-${type}`;
  const moveWith = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = types.findIndex((t) => t.type === current.type);
    const to = { ArrowDown: index + 1, ArrowRight: index + 1, ArrowUp: index - 1, ArrowLeft: index - 1, Home: 0, End: types.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = types[(to + types.length) % types.length]!;
    setChosen(next.type);
    document.getElementById(tabId(next.type))?.focus();
  };

  return (
    <div className="payload-editor">
      <div role="tablist" aria-label={label} aria-orientation="vertical" className="payload-list" onKeyDown={moveWith}>
        {types.map((t) => {
          const i = payloads.findIndex((p) => p.type === t.type);
          const problems = i < 0 ? 0 : problemsOf(shownErrors, i);
          const on = i >= 0 && payloads[i]!.enabled;
          return (
            <button
              key={t.type}
              id={tabId(t.type)}
              type="button"
              role="tab"
              className="payload-tab"
              aria-selected={t.type === current.type}
              aria-controls={`${id}-pane`}
              tabIndex={t.type === current.type ? 0 : -1}
              onClick={() => setChosen(t.type)}
            >
              <span className="payload-tab-name">{t.name}</span>
              <span className={on ? 'payload-tab-state on' : 'payload-tab-state'}>
                <span className="visually-hidden">, </span>
                {on ? 'On' : 'Off'}
                {problems > 0 && <span className="danger-text"> · {problems === 1 ? '1 problem' : `${problems} problems`}</span>}
              </span>
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-pane`} aria-labelledby={tabId(current.type)} className="payload-pane" ref={panel}>
        <h3>{current.name}</h3>
        {current.description && <p className="muted">{current.description}</p>}
        {paneMessages(shownErrors, at, current).map((message) => (
          <p key={message} className="form-error" role="alert">
            {message}
          </p>
        ))}
        <CheckboxField
          label="Enable this payload"
          hint="Installations receive it only while it is enabled; switched off, it keeps its settings."
          name={`payloads.${at}.enabled`}
          checked={payload?.enabled ?? false}
          error={messageAt(shownErrors, `payloads.${at}.enabled`)}
          onChange={(enabled) => change(current, (p) => ({ ...p, enabled, settings: enabled ? { ...switchesOff(current), ...p.settings } : p.settings }), `payloads.${at}.enabled`)}
        />
        {current.settings.map((s) => (
          <Setting
            key={`${current.type}:${s.key}`}
            setting={s}
            name={settingPath(at, s.key)}
            value={payload?.settings[s.key]}
            error={messageAt(shownErrors, settingPath(at, s.key))}
            onChange={(value) => change(current, (p) => ({ ...p, settings: withSetting(p.settings, s.key, value) }), settingPath(at, s.key))}
          />
        ))}
      </div>
    </div>
  );
}

interface SettingProps {
  setting: SettingDefinition;
  /** The server's name of the setting, so the form's own checks pass it by. */
  name: string;
  value: SettingValue | undefined;
  error: string | null;
  /** undefined: the setting is not set. */
  onChange(value: SettingValue | undefined): void;
}

/** What a setting's field says under it: whether enabling needs it, and the form of its kind. */
function hintOf(s: SettingDefinition): string | undefined {
  const form = (() => {
    switch (s.kind) {
      case 'url':
        return 'An http:// or https:// address.';
      case 'sha256':
        return '64 hexadecimal digits.';
      case 'integer':
        return `A whole number from ${s.min} to ${s.max}.`;
      case 'list':
        return `One per line, up to ${s.maxItems}.`;
      case 'text':
      case 'boolean':
      case 'choice':
        return null;
    }
  })();
  return [s.required && 'Needed to enable the payload.', form].filter(Boolean).join(' ') || undefined;
}

const asText = (value: SettingValue | undefined) => (value === undefined || Array.isArray(value) ? '' : String(value));
/** An empty field is a setting not set; what the kind cannot read is sent as typed, for the server to say why. */
const fromText = (text: string, integer = false): SettingValue | undefined => (text === '' ? undefined : integer && /^-?\d+$/.test(text.trim()) ? Number(text) : text);

function Setting({ setting: s, name, value, error, onChange }: SettingProps) {
  const hint = hintOf(s);
  const field = (text: string, read: (typed: string) => SettingValue | undefined = fromText): FieldProps => ({ name, value: text, error, onChange: (typed) => onChange(read(typed)), onBlur: () => undefined });
  switch (s.kind) {
    case 'boolean':
      return <CheckboxField label={s.label} hint={hint} name={name} checked={value === true} error={error} onChange={onChange} />;
    case 'choice':
      return (
        <SelectField label={s.label} hint={hint} field={field(asText(value))}>
          <option value="">{s.required ? 'Choose…' : 'Not set'}</option>
          {s.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      );
    case 'list':
      return <ListSetting label={s.label} hint={hint} name={name} error={error} value={value} onChange={onChange} />;
    case 'integer':
      return <TextField label={s.label} hint={hint} inputMode="numeric" field={field(asText(value), (typed) => fromText(typed, true))} />;
    case 'sha256':
      return <TextField label={s.label} hint={hint} className="mono" spellCheck={false} autoComplete="off" field={field(asText(value))} />;
    case 'url':
      return <TextField label={s.label} hint={hint} type="url" spellCheck={false} autoComplete="off" field={field(asText(value))} />;
    case 'text':
      return <TextField label={s.label} hint={hint} maxLength={s.maxLength} autoComplete="off" field={field(asText(value))} />;
  }
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * A list setting as lines of text. The lines typed stay as typed (an empty last line to go on
 * with) while they read as the list; a list changed from outside shows as it is.
 */
function ListSetting({ label, hint, name, error, value, onChange }: Omit<SettingProps, 'setting'> & { label: string; hint: string | undefined }) {
  const items = Array.isArray(value) ? value : [];
  const [typed, setTyped] = useState(() => items.join('\n'));
  const shown = linesOf(typed).join('\n') === items.join('\n') ? typed : items.join('\n');
  return (
    <TextAreaField
      label={label}
      hint={hint}
      rows={4}
      spellCheck={false}
      field={{
        name,
        value: shown,
        error,
        onBlur: () => undefined,
        onChange: (text) => {
          setTyped(text);
          const lines = linesOf(text);
          onChange(lines.length > 0 ? lines : undefined);
        },
      }}
    />
  );
}
