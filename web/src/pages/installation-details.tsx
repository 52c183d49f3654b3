import { useState, type ReactNode } from 'react';
import { answer, api } from '../api';
import { DataTable } from '../data-table';
import { formatDate, formatDateTime } from '../format';
import { FormError, TextAreaField, TextField, useForm } from '../forms';
import { getInstallation, type InstallationDetails } from '../installation-data';
import type { KeyChoice } from '../key-data';
import { SavingForm } from '../saving-form';
import { can, useSession } from '../session';
import { CloseActions, Dialog, Load, useLoad } from '../ui';
import { UsageChart } from '../usage-chart';
import { detailsTarget, InstallationActions, type ActionOutcome } from './installation-actions';
import { Results } from './installations-dialogs';
import { StateBadge } from './installations-table';

const APPLIED = {
  current: 'applied',
  earlier: 'an earlier version is applied; this one arrives at the next check-in',
  not_reported: 'not reported yet',
} as const;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children === null || children === undefined || children === '' ? <span className="muted">—</span> : children}</dd>
    </div>
  );
}

function EditForm({ accountId, details, onSaved }: { accountId: string; details: InstallationDetails; onSaved(d: InstallationDetails): void }) {
  const form = useForm(
    { alias: details.alias ?? '', notes: details.notes },
    { alias: (v) => (v.length > 200 ? 'must be at most 200 characters' : null), notes: (v) => (v.length > 5000 ? 'must be at most 5000 characters' : null) },
    { draft: `installation:${details.id}` },
  );
  return (
    <SavingForm
      form={form}
      className="panel compact"
      label="Save alias and notes"
      onSave={async (values) => {
        const body = { alias: values.alias.trim() || null, notes: values.notes };
        onSaved(await answer(api.PATCH('/api/v1/accounts/{accountId}/installations/{installationId}', { params: { path: { accountId, installationId: details.id } }, body })));
      }}
    >
      <TextField label="Alias" hint="A name of your own for this installation, shown instead of its computer name" field={form.field('alias')} />
      <TextAreaField label="Notes" rows={3} field={form.field('notes')} />
    </SavingForm>
  );
}

/**
 * One installation: general facts, hardware, its peak usage per report date, the actions the
 * list's toolbar offers for it; alias and notes are editable.
 */
export function InstallationDialog({
  accountId,
  installationId,
  keys,
  onClose,
  onChanged,
}: {
  accountId: string;
  installationId: string;
  keys: KeyChoice[] | null;
  onClose(): void;
  onChanged(): void;
}) {
  const { account } = useSession();
  const [state, retry] = useLoad(() => getInstallation(accountId, installationId), [accountId, installationId]);
  const [current, setCurrent] = useState<InstallationDetails | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const manage = can(account, 'installations.manage');
  return (
    <Dialog title="Installation details" onClose={onClose} wide>
      <Load state={state} retry={retry} label="the installation">
        {(loaded) => {
          const d = current ?? loaded;
          const g = d.general;
          const h = d.hardware;
          const limits = d.usageLimits;
          return (
            <>
              <div className="dialog-subtitle">
                <strong>{d.alias ?? d.name ?? d.id}</strong> <StateBadge state={g.state} blacklisted={g.blacklisted} pendingAction={g.pendingAction} />
              </div>
              {manage && (
                <div className="bulkbar" role="group" aria-label="Actions on this installation">
                  <InstallationActions
                    accountId={accountId}
                    targets={[detailsTarget(d)]}
                    keys={keys}
                    onStart={() => {
                      setError(null);
                      setOutcome(null);
                    }}
                    onDone={(next) => {
                      setOutcome(next);
                      // The details as the action left them, alias and notes included.
                      setCurrent(null);
                      retry();
                      onChanged();
                    }}
                    onError={setError}
                  />
                </div>
              )}
              <FormError message={error} />
              {outcome && <Results {...outcome} onDismiss={() => setOutcome(null)} />}
              <h3>General</h3>
              <dl className="facts facts-tight">
                <Fact label="Computer name">{d.name}</Fact>
                <Fact label="Product">{g.product.name}{g.licenseType ? ` (${g.licenseType})` : ''}</Fact>
                <Fact label="License key">{g.key?.name ?? 'deleted'}</Fact>
                <Fact label="Configuration profile">
                  {`${g.profile.name}, version ${g.profile.version}: ${APPLIED[g.profile.applied]}`}
                </Fact>
                <Fact label="App version">{g.version}</Fact>
                <Fact label="Host OS">{g.hostOs}</Fact>
                <Fact label="User">{g.userName}</Fact>
                <Fact label="Activated">{formatDateTime(g.activatedAt)}</Fact>
                <Fact label="Activated by">{g.activatedBy}</Fact>
                <Fact label="Last contact">{formatDateTime(g.lastContactAt)}</Fact>
                {g.deactivatedAt && <Fact label="Deactivated">{formatDateTime(g.deactivatedAt)}</Fact>}
                <Fact label="License expires">{g.licenseExpiresAt && formatDate(g.licenseExpiresAt)}</Fact>
                {g.pendingAction && <Fact label="At next check-in">{g.pendingAction === 'move' ? 'Moves to another key' : 'Deactivates'}</Fact>}
                {g.siteCode && <Fact label="Site">{g.siteDescription ? `${g.siteCode} · ${g.siteDescription}` : g.siteCode}</Fact>}
                {g.usageCurrent !== null && <Fact label="Current usage">{g.usageCurrent}</Fact>}
                {limits && <Fact label="Last usage report">{limits.lastUsageReportAt && formatDateTime(limits.lastUsageReportAt)}</Fact>}
                {limits?.nextUsageReportAt && <Fact label="Next usage report due">{formatDateTime(limits.nextUsageReportAt)}</Fact>}
              </dl>
              <h3>Hardware</h3>
              <dl className="facts facts-tight">
                <Fact label="Model">{h.model}</Fact>
                <Fact label="Serial number">{h.serialNumber}</Fact>
                <Fact label="CPU">{h.cpuArch}</Fact>
                <Fact label="MAC addresses">{h.macAddresses.join(', ')}</Fact>
                <Fact label="IP addresses">{h.ipAddresses.join(', ')}</Fact>
              </dl>
              <h3 id="usage-title">Usage history</h3>
              {d.usage.length === 0 ? (
                <p className="muted">No usage reported yet.</p>
              ) : (
                <>
                  <UsageChart usage={d.usage} limits={limits ?? { quota: null, overuse: null }} />
                  <DataTable
                    short
                    labelledBy="usage-title"
                    rows={d.usage}
                    rowKey={(u) => u.date}
                    columns={[
                      { header: 'Report date (UTC)', cell: (u) => u.date },
                      { header: 'Peak', className: 'num', cell: (u) => u.peak },
                      { header: 'Current', className: 'num', cell: (u) => u.current },
                    ]}
                  />
                </>
              )}
              {manage && (
                <>
                  <h3>Alias and notes</h3>
                  <EditForm
                    accountId={accountId}
                    details={d}
                    onSaved={(updated) => {
                      setCurrent(updated);
                      onChanged();
                    }}
                  />
                </>
              )}
            </>
          );
        }}
      </Load>
      <CloseActions onClose={onClose} />
    </Dialog>
  );
}
