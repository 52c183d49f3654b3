import { useState } from 'react';
import { OFFERED_EVENT_TYPES, WEBHOOK_EVENTS } from '../../../src/domain/webhooks';
import { ActionsMenu } from '../actions-menu';
import { DataTable } from '../data-table';
import { FormError, TextField, useForm } from '../forms';
import { formatDateTime } from '../format';
import { useKeptState } from '../kept';
import { Pager, usePages } from '../paging';
import { Link } from '../router';
import { useSession } from '../session';
import { Badge, CloseActions, ConfirmDialog, CopyButton, Dialog, DialogActions, Empty, Load, useListAction, useLoad } from '../ui';
import { accountWebhooks, type WebhookApi, type WebhookDelivery, type WebhookEndpoint, type WebhookEventType } from '../webhook-data';

const LOG_PAGE = 20;
const DELIVERY_TONES: Record<WebhookDelivery['status'], string> = { delivered: 'active', pending: 'pending', failed: 'expired' };
const DELIVERY_LABELS: Record<WebhookDelivery['status'], string> = { delivered: 'Delivered', pending: 'Pending', failed: 'Failed' };

/** The event types of a form, kept as one text field: the types ticked, comma-separated. */
const typesOf = (text: string) => text.split(',').filter((t): t is WebhookEventType => t in WEBHOOK_EVENTS);

/** The answer of the latest attempt; a pending delivery with an attempt and no answer is being sent right now. */
function lastAnswer(d: WebhookDelivery): string {
  if (d.lastStatusCode !== null) return `HTTP ${d.lastStatusCode}`;
  return d.lastError ?? (d.attempts === 0 ? 'Not sent yet' : 'Sending…');
}

function EventChoices({ value, error, onChange }: { value: string; error: string | null; onChange(value: string): void }) {
  const chosen = new Set(typesOf(value));
  const toggle = (type: WebhookEventType, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    onChange(OFFERED_EVENT_TYPES.filter((t) => next.has(t)).join(','));
  };
  return (
    <fieldset className={`field event-choices${error ? ' field-invalid' : ''}`} aria-describedby={error ? 'event-types-error' : undefined}>
      <legend>Events</legend>
      {OFFERED_EVENT_TYPES.map((type) => (
        <label key={type}>
          <input type="checkbox" name="eventTypes" value={type} checked={chosen.has(type)} onChange={(e) => toggle(type, e.target.checked)} />
          <span>
            <code>{type}</code> <span className="muted small">{WEBHOOK_EVENTS[type].label}</span>
          </span>
        </label>
      ))}
      <p className="field-error" id="event-types-error" aria-live="polite">
        {error && `Events: ${error}`}
      </p>
    </fieldset>
  );
}

/** Adds an endpoint, or changes one: its URL, what it is for, and the events it hears. */
function EndpointForm({ webhooks, endpoint, onClose, onSaved }: { webhooks: WebhookApi; endpoint: WebhookEndpoint | null; onClose(): void; onSaved(saved: { endpoint: WebhookEndpoint; secret?: string }): void }) {
  const form = useForm(
    { url: endpoint?.url ?? '', description: endpoint?.description ?? '', eventTypes: endpoint?.eventTypes.join(',') ?? '' },
    {
      url: (v) => (v.trim() === '' ? 'is required' : /^https?:\/\/\S+$/.test(v.trim()) ? null : 'must be an https:// URL'),
      description: (v) => (v.trim().length > 500 ? 'must be at most 500 characters' : null),
      eventTypes: (v) => (typesOf(v).length === 0 ? 'needs at least one event type' : null),
    },
    { draft: `webhook-endpoint:${webhooks.scope}:${endpoint?.id ?? 'new'}` },
  );
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ url, description, eventTypes }) => {
        const body = { url: url.trim(), description: description.trim(), eventTypes: typesOf(eventTypes) };
        onSaved(endpoint ? { endpoint: await webhooks.update(endpoint.id, body) } : await webhooks.create(body));
      })}
    >
      <FormError message={form.formError} />
      <TextField label="URL" type="url" inputMode="url" autoComplete="off" hint="Where Keyline POSTs the events: an https:// address on the internet" field={form.field('url')} />
      <TextField label="Description" hint="What it feeds, for whoever reads this list later (optional)" field={form.field('description')} />
      <EventChoices value={form.values.eventTypes} error={form.field('eventTypes').error} onChange={(v) => form.set('eventTypes', v)} />
      <DialogActions label={endpoint ? 'Save endpoint' : 'Add endpoint'} disabled={form.submitting} onCancel={onClose} />
    </form>
  );
}

/** A signing secret, shown once: after an endpoint is added, and after its secret is rotated. */
function SecretOnce({ secret, url, onDismiss }: { secret: string; url: string; onDismiss(): void }) {
  return (
    <div className="notice token-once" role="status">
      <p>
        Copy the signing secret of <strong>{url}</strong> now; it is not shown again. Your receiver verifies each delivery with it (any Standard Webhooks library does).
      </p>
      <code className="token" aria-label="Signing secret">
        {secret}
      </code>
      <CopyButton text={secret} label="Copy the signing secret" />{' '}
      <button type="button" className="button secondary small" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}

/** One delivery's attempts, and the body that was sent. */
function DeliveryDetails({ delivery, onClose }: { delivery: WebhookDelivery; onClose(): void }) {
  return (
    <Dialog title={`Delivery of ${delivery.eventType}`} onClose={onClose} wide>
      <p className="muted small">
        Message <code>{delivery.messageId}</code>, queued {formatDateTime(delivery.createdAt)}
        {delivery.nextAttemptAt && `, next attempt ${formatDateTime(delivery.nextAttemptAt)}`}.
      </p>
      {delivery.log.length === 0 ? (
        <p>No attempt yet.</p>
      ) : (
        <DataTable
          label="Attempts"
          short
          rows={delivery.log}
          rowKey={(a) => String(a.attempt)}
          columns={[
            { header: '#', cell: (a) => a.attempt },
            { header: 'Time', className: 'nowrap', cell: (a) => formatDateTime(a.attemptedAt) },
            { header: 'Answer', cell: (a) => (a.statusCode !== null ? `HTTP ${a.statusCode}` : <span className="muted">none</span>) },
            { header: 'Duration', className: 'nowrap', cell: (a) => `${a.durationMs} ms` },
            { header: 'Error', className: 'wrap', cell: (a) => a.error ?? '' },
            { header: 'Response', className: 'wrap small', cell: (a) => (a.responseExcerpt ? <span className="mono">{a.responseExcerpt}</span> : '') },
          ]}
        />
      )}
      <h3>Body</h3>
      <pre className="payload">{JSON.stringify(delivery.payload, null, 2)}</pre>
      <CloseActions onClose={onClose} />
    </Dialog>
  );
}

/** The chosen endpoint's deliveries, newest first, a page at a time: status, attempts, last answer, and Redeliver. */
function DeliveryLog({ webhooks, endpoint, version }: { webhooks: WebhookApi; endpoint: WebhookEndpoint; version: number }) {
  const pages = usePages(`webhooks:${webhooks.scope}:log`, (cursor) => webhooks.deliveries(endpoint.id, cursor, LOG_PAGE), [endpoint.id, version]);
  const { state, reload } = pages;
  const action = useListAction(reload);
  const [shown, setShown] = useState<WebhookDelivery | null>(null);
  return (
    <section aria-labelledby="delivery-log-title" className="delivery-log">
      <div className="section-head">
        <h2 id="delivery-log-title">
          Delivery log <span className="muted small wrap-anywhere">{endpoint.url}</span>
        </h2>
        <button type="button" className="button secondary small" onClick={reload}>
          Refresh
        </button>
      </div>
      <FormError message={action.error} />
      <Load state={state} retry={reload} label="the delivery log">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>Nothing was sent to this endpoint yet. Send a test event to see it arrive.</p>
            </Empty>
          ) : (
            <>
              <DataTable
                label="Deliveries"
                rows={items}
                rowKey={(d) => d.id}
                columns={[
                  { header: 'Queued', className: 'nowrap', cell: (d) => formatDateTime(d.createdAt) },
                  { header: 'Event', cell: (d) => <code>{d.eventType}</code> },
                  { header: 'Status', cell: (d) => <Badge tone={DELIVERY_TONES[d.status]}>{DELIVERY_LABELS[d.status]}</Badge> },
                  { header: 'Attempts', cell: (d) => d.attempts },
                  { header: 'Last answer', className: 'wrap', cell: lastAnswer },
                ]}
                actions={(d) => (
                  <ActionsMenu
                    rowName={`${d.eventType} ${d.messageId}`}
                    actions={[
                      { label: 'Details', onSelect: () => setShown(d) },
                      endpoint.enabled && { label: 'Redeliver', onSelect: () => void action.run(() => webhooks.redeliver(endpoint.id, d.id)) },
                    ]}
                  />
                )}
              />
              <Pager pages={pages} label="Delivery log" />
            </>
          )
        }
      </Load>
      {shown && <DeliveryDetails delivery={shown} onClose={() => setShown(null)} />}
    </section>
  );
}

function EndpointStatus({ endpoint }: { endpoint: WebhookEndpoint }) {
  if (!endpoint.enabled) {
    return (
      <>
        <Badge tone="blocked">Disabled</Badge>
        {endpoint.disabledReason && <div className="muted small">{endpoint.disabledReason}</div>}
      </>
    );
  }
  return (
    <>
      <Badge tone="active">Enabled</Badge>
      {endpoint.failingSince && <div className="muted small">failing since {formatDateTime(endpoint.failingSince)}</div>}
    </>
  );
}

type Editing = { endpoint: WebhookEndpoint | null } | null;

/**
 * Webhook endpoints of an account, or of the vendor: add, change, test, rotate the secret,
 * disable and delete them, and read each one's delivery log.
 */
export function WebhookEndpoints({ webhooks, intro }: { webhooks: WebhookApi; intro: string }) {
  const [state, reload] = useLoad(() => webhooks.list(), [webhooks.scope]);
  const [chosen, setChosen] = useKeptState<string | null>(`webhooks:${webhooks.scope}:chosen`, null);
  const [editing, setEditing] = useState<Editing>(null);
  const [secret, setSecret] = useState<{ secret: string; url: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const action = useListAction(reload);
  const endpoints = state.status === 'ready' ? state.data : [];
  const selected = endpoints.find((e) => e.id === chosen) ?? endpoints[0] ?? null;

  const sendTest = (e: WebhookEndpoint) =>
    void action.run(async () => {
      await webhooks.sendTest(e.id);
      setChosen(e.id);
      setLogVersion((v) => v + 1);
    });

  return (
    <>
      <div className="page-head page-head-actions">
        <div>
          <h1>Webhooks</h1>
          <p className="muted">{intro}</p>
        </div>
        <button type="button" className="button primary" onClick={() => setEditing({ endpoint: null })}>
          Add endpoint
        </button>
      </div>
      {secret && <SecretOnce {...secret} onDismiss={() => setSecret(null)} />}
      <FormError message={action.error} />
      <Load state={state} retry={reload} label="the webhook endpoints">
        {(items) =>
          items.length === 0 ? (
            <Empty>
              <h2>No endpoints yet</h2>
              <p>Add the address of a receiver to have it told of activations, expiring subscriptions, members joining and more as they happen.</p>
            </Empty>
          ) : (
            <DataTable
              label="Webhook endpoints"
              rows={items}
              rowKey={(e) => e.id}
              selected={(e) => e.id === selected?.id}
              columns={[
                {
                  header: 'Endpoint',
                  className: 'wrap',
                  cell: (e) => (
                    <>
                      <span className="mono wrap-anywhere">{e.url}</span>
                      {e.description && <div className="muted small">{e.description}</div>}
                    </>
                  ),
                },
                { header: 'Events', className: 'wrap small', cell: (e) => e.eventTypes.join(', ') },
                { header: 'Status', cell: (e) => <EndpointStatus endpoint={e} /> },
              ]}
              actions={(e) => (
                <ActionsMenu
                  rowName={e.url}
                  actions={[
                    e.id !== selected?.id && { label: 'Show delivery log', onSelect: () => setChosen(e.id) },
                    { label: 'Edit', onSelect: () => setEditing({ endpoint: e }) },
                    e.enabled && { label: 'Send test event', onSelect: () => sendTest(e) },
                    { label: 'Rotate secret', onSelect: () => setRotating(e) },
                    { label: e.enabled ? 'Disable' : 'Enable', onSelect: () => void action.run(() => webhooks.update(e.id, { enabled: !e.enabled })) },
                    { label: 'Delete', danger: true, onSelect: () => setDeleting(e) },
                  ]}
                />
              )}
            />
          )
        }
      </Load>
      {selected && <DeliveryLog key={selected.id} webhooks={webhooks} endpoint={selected} version={logVersion} />}
      {editing && (
        <Dialog title={editing.endpoint ? 'Edit webhook endpoint' : 'Add a webhook endpoint'} onClose={() => setEditing(null)} wide>
          <EndpointForm
            webhooks={webhooks}
            endpoint={editing.endpoint}
            onClose={() => setEditing(null)}
            onSaved={(saved) => {
              setEditing(null);
              if (saved.secret) setSecret({ secret: saved.secret, url: saved.endpoint.url });
              setChosen(saved.endpoint.id);
              reload();
            }}
          />
        </Dialog>
      )}
      {rotating && (
        <ConfirmDialog
          title="Rotate the signing secret"
          action="Rotate secret"
          onCancel={() => setRotating(null)}
          onConfirm={async () => {
            const rotated = await webhooks.rotateSecret(rotating.id);
            setRotating(null);
            setSecret({ secret: rotated.secret, url: rotated.endpoint.url });
            reload();
          }}
        >
          <p>
            <span className="wrap-anywhere">{rotating.url}</span> gets a new secret, shown once. For a day, deliveries are signed with the old one too, so the receiver can switch without missing any.
          </p>
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete the webhook endpoint"
          action="Delete endpoint"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await webhooks.remove(deleting.id);
            setDeleting(null);
            reload();
          }}
        >
          <p>
            <span className="wrap-anywhere">{deleting.url}</span> stops receiving events at once, and its delivery log is deleted with it.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The account's Webhooks settings (administrators), beside Users, Business profile and the audit log. */
export function Webhooks() {
  const { account } = useSession();
  const [webhooks] = useState(() => accountWebhooks(account.id));
  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/users">Users</Link> › <span aria-current="page">Webhooks</span>
      </nav>
      <WebhookEndpoints webhooks={webhooks} intro={`Keyline POSTs each event of ${account.name} you choose to your endpoints as signed JSON (the Standard Webhooks convention), retrying for days when a receiver fails.`} />
    </section>
  );
}
