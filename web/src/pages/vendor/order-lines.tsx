import { useId, useState, type ReactNode } from 'react';
import { ApiError } from '../../api';
import { listOf, textFields, useDraftEnd, useKeptState, type KeptCodec } from '../../kept';
import type { OrderLine, Product } from './vendor-api';

const BLANK = { productCode: '', licenseType: '', quantity: '1' };
type Draft = typeof BLANK & { key: number };

let nextKey = 1;
const draft = (productCode = ''): Draft => ({ ...BLANK, productCode, key: nextKey++ });

/** Lines kept as typed; each gets a new key on the way back, and a product gone from the catalog is chosen again. */
function keptLines(catalog: Product[]): KeptCodec<Draft[]> {
  const fields = textFields(BLANK);
  return listOf<Draft>({
    store: fields.store,
    revive: (stored) => {
      const line = fields.revive(stored);
      if (!line) return null;
      return catalog.some((p) => p.code === line.productCode) ? { ...line, key: nextKey++ } : { ...draft(), quantity: line.quantity };
    },
  });
}

/** A product whose types are optional also sells without one: per device, next to its per-user SSO type. */
export const needsLicenseType = (product: Product | undefined) => product !== undefined && product.licenseTypes.length > 0 && product.licenseTypeRequired;

export const noLicenseTypeLabel = (product: Product) => (product.licenseTypeRequired ? 'Choose…' : 'None (per device)');

/** The rules of one line, worded like the server's; keyed as the API names the fields ("items.0.quantity"). */
function lineRules(lines: Draft[], catalog: Product[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const product = catalog.find((p) => p.code === l.productCode);
    if (!product) errors[`items.${i}.productCode`] = 'is required';
    else if (needsLicenseType(product) && !l.licenseType) errors[`items.${i}.licenseType`] = 'is required for this product';
    if (!/^\d+$/.test(l.quantity.trim())) errors[`items.${i}.quantity`] = 'must be a whole number';
    else if (Number(l.quantity) < 1) errors[`items.${i}.quantity`] = 'must be at least 1';
    else if (Number(l.quantity) > 1_000_000) errors[`items.${i}.quantity`] = 'must be at most 1000000';
    const line = `${l.productCode}/${l.licenseType}`;
    if (product && seen.has(line)) errors[`items.${i}.productCode`] = 'appears twice; add the quantities in one line';
    seen.add(line);
  });
  return errors;
}

/**
 * The product lines of an order: rules as you type (once a control was left, or on submit), and
 * the server's messages ("items.1.licenseType") next to the control they name. The lines wait
 * under `draft` until the form is sent (`sent`), as a form's fields do.
 */
export function useOrderLines(catalog: Product[], draftName: string, single = false) {
  const [lines, setLines] = useKeptState<Draft[]>(draftName, () => [draft(single ? (catalog[0]?.code ?? '') : '')], keptLines(catalog));
  const sent = useDraftEnd(draftName);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const rules = lineRules(lines, catalog);
  const error = (name: string) => server[name] ?? (showAll || touched.has(name) ? (rules[name] ?? null) : null);

  return {
    lines,
    sent,
    error,
    touch: (name: string) => setTouched((t) => new Set(t).add(name)),
    update(i: number, part: Partial<Draft>) {
      setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...part, ...(part.productCode !== undefined ? { licenseType: '' } : {}) } : l)));
      setServer({});
    },
    /** Shows every line's messages, as a submit does even when another field stops it first. */
    reveal: () => setShowAll(true),
    add: () => setLines((ls) => [...ls, draft()]),
    remove: (i: number) => setLines((ls) => ls.filter((_, j) => j !== i)),
    /** The lines for the API, or null (and every message shown) while a rule fails. */
    valid(): OrderLine[] | null {
      setShowAll(true);
      if (Object.keys(rules).length > 0) return null;
      return lines.map((l) => ({ productCode: l.productCode, licenseType: l.licenseType || null, quantity: Number(l.quantity) }));
    },
    /** Takes the server's messages about lines; true when there were any. */
    serverErrors(err: unknown): boolean {
      if (!(err instanceof ApiError)) return false;
      const mine = Object.fromEntries(Object.entries(err.fields).filter(([name]) => name.startsWith('items.')));
      setServer(mine);
      return Object.keys(mine).length > 0;
    },
  };
}

export type OrderLines = ReturnType<typeof useOrderLines>;

function LineField({ label, name, lines, children }: { label: string; name: string; lines: OrderLines; children: (props: { id: string; invalid: boolean; describedBy: string | undefined }) => ReactNode }) {
  const id = useId();
  const message = lines.error(name);
  return (
    <div className={`field${name.endsWith('quantity') ? ' field-qty' : ''}${message ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, invalid: Boolean(message), describedBy: message ? `${id}-error` : undefined })}
      <p className="field-error" id={`${id}-error`} aria-live="polite">
        {message && (/^[a-z]/.test(message) ? `${label} ${message}` : message)}
      </p>
    </div>
  );
}

/** The lines as rows of product, license type (where the product has types) and quantity. */
export function OrderLinesEditor({ lines, catalog, single = false }: { lines: OrderLines; catalog: Product[]; single?: boolean }) {
  return (
    <>
      <ol className="lines" aria-label="Products">
        {lines.lines.map((l, i) => {
          const product = catalog.find((p) => p.code === l.productCode);
          const n = lines.lines.length > 1 ? ` ${i + 1}` : '';
          return (
            <li key={l.key} className="line">
              <LineField label={`Product${n}`} name={`items.${i}.productCode`} lines={lines}>
                {({ id, invalid, describedBy }) => (
                  <select id={id} value={l.productCode} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => lines.update(i, { productCode: e.target.value })} onBlur={() => lines.touch(`items.${i}.productCode`)}>
                    {!single && <option value="">Choose a product…</option>}
                    {catalog.map((p) => (
                      <option key={p.code} value={p.code}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                )}
              </LineField>
              {product && product.licenseTypes.length > 0 && (
                <LineField label={`License type${n}`} name={`items.${i}.licenseType`} lines={lines}>
                  {({ id, invalid, describedBy }) => (
                    <select id={id} value={l.licenseType} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => lines.update(i, { licenseType: e.target.value })} onBlur={() => lines.touch(`items.${i}.licenseType`)}>
                      <option value="">{noLicenseTypeLabel(product)}</option>
                      {product.licenseTypes.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                  )}
                </LineField>
              )}
              {!single && (
                <LineField label={`Quantity${n}`} name={`items.${i}.quantity`} lines={lines}>
                  {({ id, invalid, describedBy }) => (
                    <input id={id} type="number" inputMode="numeric" min={1} value={l.quantity} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => lines.update(i, { quantity: e.target.value })} onBlur={() => lines.touch(`items.${i}.quantity`)} />
                  )}
                </LineField>
              )}
              {lines.lines.length > 1 && (
                <button type="button" className="button link danger-text line-remove" aria-label={`Remove product${n}`} onClick={() => lines.remove(i)}>
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {!single && (
        <button type="button" className="button secondary small" onClick={lines.add}>
          + Add a product
        </button>
      )}
    </>
  );
}
