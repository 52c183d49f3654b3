import type { Schemas } from './api';
import { DURATION_LABELS, formatDateTime, formatRelative, ORDER_LABELS, ROLE_LABELS } from './format';
import { Badge, CopyButton } from './ui';

// What a cell shows of a thing that several lists, the portal's and the back office's, show alike.

/** A member's role, with "Blocked" beside it while they are blocked. */
export function MemberRole({ member }: { member: Pick<Schemas['Member'], 'role' | 'status'> }) {
  return (
    <>
      {ROLE_LABELS[member.role]}
      {member.status === 'blocked' && (
        <>
          {' '}
          <Badge tone="suspended">Blocked</Badge>
        </>
      )}
    </>
  );
}

/** "5 minutes ago": how long ago a moment was, its exact date and time a hover away. */
export function Ago({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

/** "Renewal · 1 year": what an order did, and for how long. */
export function OrderKind({ order }: { order: { kind: keyof typeof ORDER_LABELS; duration: keyof typeof DURATION_LABELS | null } }) {
  return (
    <>
      {ORDER_LABELS[order.kind]}
      {order.duration && <span className="muted"> · {DURATION_LABELS[order.duration]}</span>}
    </>
  );
}

/** "Desktop Business (academic)": a product of a subscription, with its license type when it has one. */
export function ProductName({ product }: { product: { productName: string; licenseType: string | null } }) {
  return (
    <>
      {product.productName}
      {product.licenseType && <span className="muted"> ({product.licenseType})</span>}
    </>
  );
}

/** A license key shown in full, the customer's and the back office's tables alike, with its Copy button. */
export function FullKey({ row }: { row: { key: string; name: string } }) {
  return (
    <span className="copyable">
      <code>{row.key}</code>
      <CopyButton text={row.key} label={`Copy the key of ${row.name}`} />
    </span>
  );
}
