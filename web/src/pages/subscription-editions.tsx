import { useState } from 'react';
import { answer, api, errorMessage, type SubscriptionDetails, type SubscriptionSummary } from '../api';
import { FormError } from '../forms';
import { formatDate, STATUS_LABELS } from '../format';
import { Link } from '../router';
import { subscriptionHref } from '../subscription-data';
import { Badge } from '../ui';

// A subscription among the editions of its product: the trial of the upgrade beside it ("Try
// Enterprise"), what a trial stands beside, and a conversion done.

/** The edition part of a product's name: "Enterprise Edition" of "Desktop Virtualization, Enterprise Edition". */
export const editionLabel = (productName: string) => productName.split(', ').pop()!;

const startTrial = (accountId: string, subscriptionId: string) =>
  answer(api.POST('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/edition-trial', { params: { path: { accountId, subscriptionId } }, body: {} }));

function TrialCard({ trial, accountId, productName }: { trial: SubscriptionSummary; accountId: string; productName: string }) {
  const running = trial.channel === 'trial';
  return (
    <div className="card">
      <p>
        <Link href={subscriptionHref(trial, accountId)}>{trial.name}</Link> <Badge tone={trial.status}>{STATUS_LABELS[trial.status]}</Badge>
      </p>
      <p className="muted">
        {running
          ? `${trial.status === 'suspended' ? 'The trial is suspended' : `The trial of ${productName} ends ${formatDate(trial.expiresAt)}`}. It has its own license key; this subscription stays as it is.`
          : `Made permanent: a subscription of its own until ${formatDate(trial.expiresAt)}.`}
      </p>
    </div>
  );
}

/**
 * The Business subscription's Enterprise section: the account's trial of the upgrade, or for an
 * administrator the action that starts it (once per account), or the conversion once the vendor
 * made it. A trial's own page says which subscription it stands beside.
 */
export function EditionSection({ details: d, accountId, canManage, onTrial }: { details: SubscriptionDetails; accountId: string; canManage: boolean; onTrial(trial: SubscriptionSummary): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState(false);
  const { upgrade, trial, trialOf } = d.editions;
  if (trialOf) {
    const beside = <Link href={subscriptionHref({ id: trialOf.id, accountId }, accountId)}>{trialOf.name}</Link>;
    return d.subscription.channel === 'trial' ? (
      <p className="notice">
        A trial beside {beside}, which stays as it is. Ask your vendor to convert that subscription, or to make this trial permanent.
      </p>
    ) : (
      <p className="muted">Started as a trial beside {beside}.</p>
    );
  }
  if (!upgrade) return null;
  const label = editionLabel(upgrade.productName);
  return (
    <section aria-labelledby="edition-title">
      <h2 id="edition-title">{label}</h2>
      {upgrade.converted && <p>This subscription was converted to {upgrade.productName}: its license keys and installations stayed as they were.</p>}
      {started && (
        <p className="notice" role="status">
          Your trial has started. Its license key is on its page, and in the email we sent to {d.contract.customerEmail}.
        </p>
      )}
      {trial ? (
        <TrialCard trial={trial} accountId={accountId} productName={upgrade.productName} />
      ) : upgrade.converted ? null : canManage ? (
        <>
          <p>Try {upgrade.productName} beside this subscription, with a license key of its own; this subscription and its installations stay as they are. Each account has one trial.</p>
          <FormError message={error} />
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                onTrial((await startTrial(accountId, d.subscription.id)).subscription);
                setStarted(true);
              } catch (err) {
                setError(errorMessage(err));
              }
              setBusy(false);
            }}
          >
            Try {label}
          </button>
        </>
      ) : (
        <p className="muted">An account administrator can start a trial of {upgrade.productName} beside this subscription.</p>
      )}
    </section>
  );
}
