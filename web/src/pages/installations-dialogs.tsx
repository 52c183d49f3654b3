import type { ActionResult, BulkAction } from '../installation-data';
import type { KeyChoice } from '../key-data';
import { KeyOptions } from '../key-options';
import { useDraftEnd, useKeptState } from '../kept';
import { Dialog, DialogActions } from '../ui';

// What the bulk actions of the installations page show: where to move the selection, and what each action did.

const ACTION_LABELS: Record<BulkAction, string> = { deactivate: 'Deactivated', blacklist: 'Blacklisted', unblacklist: 'Removed from the blacklist', move: 'Moves at its next check-in' };

/** What the move needs to know of each installation moved: its product and its key. */
interface MoveTarget {
  keyId: string | null;
  productCode: string | null;
}

/** Which key to move the selection to: keys of the same product, other than the ones they use. */
export function MoveDialog({ keys, targets: rows, onMove, onCancel }: { keys: KeyChoice[]; targets: MoveTarget[]; onMove(keyId: string): void; onCancel(): void }) {
  const products = new Set(rows.map((r) => r.productCode).filter(Boolean));
  const current = new Set(rows.map((r) => r.keyId));
  const choices = keys.filter((k) => (products.size === 0 || products.has(k.productCode)) && !(current.size === 1 && current.has(k.id)));
  return (
    <Dialog title="Move to another license key" onClose={onCancel}>
      <MoveForm choices={choices} rows={rows.length} onMove={onMove} onCancel={onCancel} />
    </Dialog>
  );
}

const MOVE_DRAFT = 'move-installations:target';

/** The dialog's form, inside it so that the key picked is kept until the dialog closes. */
function MoveForm({ choices, rows, onMove, onCancel }: { choices: KeyChoice[]; rows: number; onMove(keyId: string): void; onCancel(): void }) {
  const [target, setTarget] = useKeptState(MOVE_DRAFT, choices[0]?.id ?? '', { store: (id) => id, revive: (id) => choices.find((k) => k.id === id)?.id ?? null });
  useDraftEnd(MOVE_DRAFT);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (target) onMove(target);
      }}
    >
      <p>
        The {rows === 1 ? 'installation moves' : `${rows} installations move`} at {rows === 1 ? 'its' : 'their'} next check-in, taking a seat of the key you pick.
      </p>
      {choices.length === 0 ? (
        <p className="form-error">There is no other license key of the same product to move to.</p>
      ) : (
        <div className="field">
          <label htmlFor="move-target">License key</label>
          <select id="move-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            <KeyOptions keys={choices} />
          </select>
        </div>
      )}
      <DialogActions label="Move" disabled={!target} onCancel={onCancel} />
    </form>
  );
}

/** What a bulk action did, row by row: done, or why not. */
export function Results({ action, results, names, onDismiss }: { action: BulkAction; results: ActionResult[]; names: Map<string, string>; onDismiss(): void }) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <div className={failed ? 'results results-partial' : 'results'} role="status">
      <div className="results-head">
        <strong>
          {results.length - failed} of {results.length} done{failed ? `; ${failed} not changed` : ''}.
        </strong>
        <button type="button" className="button link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul aria-label="Action results">
        {results.map((r) => (
          <li key={r.installationId}>
            {names.get(r.installationId) ?? r.installationId}: {r.ok ? ACTION_LABELS[action] : <span className="danger-text">{r.error.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
