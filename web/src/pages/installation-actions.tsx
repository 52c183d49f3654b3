import { useState } from 'react';
import { errorMessage } from '../api';
import { actOnInstallations, type ActionResult, type BulkAction, type InstallationDetails, type InstallationRow } from '../installation-data';
import type { KeyChoice } from '../key-data';
import { ConfirmDialog } from '../ui';
import { actionApplies, type InstallationFacts } from '../../../src/domain/installation-actions';
import { MoveDialog } from './installations-dialogs';
import { displayName } from './installations-table';

// The actions on installations, the same on the list's selection and in one installation's details.

/** An installation as its actions need it, from a row of the list or from its details. */
export interface ActionTarget extends InstallationFacts {
  id: string;
  name: string;
  keyId: string | null;
  productCode: string | null;
}

export const rowTarget = (r: InstallationRow): ActionTarget => ({
  id: r.id,
  name: displayName(r),
  state: r.state ?? 'deactivated',
  blacklisted: r.blacklisted ?? false,
  pendingAction: r.pendingAction ?? null,
  onKey: Boolean(r.key),
  keyId: r.key?.id ?? null,
  productCode: r.product?.code ?? null,
});

export const detailsTarget = (d: InstallationDetails): ActionTarget => ({
  id: d.id,
  name: displayName(d),
  state: d.general.state,
  blacklisted: d.general.blacklisted,
  pendingAction: d.general.pendingAction,
  onKey: d.general.key !== null,
  keyId: d.general.key?.id ?? null,
  productCode: d.general.product.code,
});

/** What an action did, installation by installation, with the names they had when it ran. */
export interface ActionOutcome {
  action: BulkAction;
  results: ActionResult[];
  names: Map<string, string>;
}

const BUTTONS: [BulkAction, string][] = [
  ['deactivate', 'Deactivate'],
  ['blacklist', 'Add to blacklist'],
  ['unblacklist', 'Remove from blacklist'],
  ['move', 'Move to another key…'],
];

/** The actions that take a machine's license away ask first, naming the machines and what follows. */
const CONFIRMATIONS: Partial<Record<BulkAction, { title: string; action: string; effect: (many: boolean) => string }>> = {
  deactivate: {
    title: 'Deactivate',
    action: 'Deactivate',
    effect: (many) => `${many ? 'Each' : 'It'} is deactivated at its next check-in, and its seat is given back.`,
  },
  blacklist: {
    title: 'Add to the blacklist:',
    action: 'Add to blacklist',
    effect: (many) => `${many ? 'Each' : 'It'} is deactivated now, gives its seat back, and cannot activate with its license key again until removed from the blacklist.`,
  },
};

/**
 * The action buttons for some installations: each enabled only when it would change one of them
 * (and then sent for those only), the ones that take a license away confirmed first, the move
 * through the choice of a key. For members who may manage installations.
 */
export function InstallationActions({
  accountId,
  targets,
  keys,
  onStart,
  onDone,
  onError,
}: {
  accountId: string;
  targets: ActionTarget[];
  keys: KeyChoice[] | null;
  /** An action is sent: what the last one did or refused is no longer news. */
  onStart(): void;
  onDone(outcome: ActionOutcome): void;
  onError(message: string): void;
}) {
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const [busy, setBusy] = useState(false);
  const applicable = (action: BulkAction) => targets.filter((t) => actionApplies(action, t));

  const send = async (action: BulkAction, targetKeyId?: string) => {
    onStart();
    const chosen = applicable(action);
    const { results } = await actOnInstallations(accountId, { action, installationIds: chosen.map((t) => t.id), ...(targetKeyId ? { targetKeyId } : {}) });
    setAsking(null);
    onDone({ action, results, names: new Map(chosen.map((t) => [t.id, t.name])) });
  };
  // Unconfirmed, a refusal shows beside the buttons; a confirmation dialog shows it inside.
  const run = async (action: BulkAction, targetKeyId?: string) => {
    setBusy(true);
    try {
      await send(action, targetKeyId);
    } catch (err) {
      onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const confirmation = asking ? CONFIRMATIONS[asking] : undefined;
  const named = asking ? applicable(asking) : [];
  return (
    <>
      {BUTTONS.map(([action, label]) => (
        <button
          key={action}
          type="button"
          className="button secondary small"
          disabled={busy || applicable(action).length === 0 || (action === 'move' && !keys)}
          onClick={() => (CONFIRMATIONS[action] || action === 'move' ? setAsking(action) : void run(action))}
        >
          {label}
        </button>
      ))}
      {asking && confirmation && (
        <ConfirmDialog title={named.length === 1 ? `${confirmation.title} ${named[0]!.name}` : `${confirmation.title} ${named.length} installations`} action={confirmation.action} onCancel={() => setAsking(null)} onConfirm={() => send(asking)}>
          {named.length === 1 ? (
            <p>
              {confirmation.action} <strong>{named[0]!.name}</strong>? {confirmation.effect(false)}
            </p>
          ) : (
            <>
              <p>
                {confirmation.action} these {named.length} installations? {confirmation.effect(true)}
              </p>
              <ul aria-label="Installations to act on">
                {named.map((t) => (
                  <li key={t.id}>{t.name}</li>
                ))}
              </ul>
            </>
          )}
        </ConfirmDialog>
      )}
      {asking === 'move' && keys && <MoveDialog keys={keys} targets={named} onMove={(target) => {
            setAsking(null);
            void run('move', target);
          }} onCancel={() => setAsking(null)} />}
    </>
  );
}
