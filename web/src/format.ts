// Dates and words as the user's browser locale writes them.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const countryNames = new Intl.DisplayNames(undefined, { type: 'region' });

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const countryName = (code: string) => countryNames.of(code) ?? code;

// The largest unit that fits, from seconds up: [unit, its length in seconds].
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "now", "5 minutes ago", "yesterday", "in 3 days": how long from `now` a moment is, in the largest unit that fits. */
export function formatRelative(iso: string, now: Date = new Date(), format: Intl.RelativeTimeFormat = relativeFormat): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const [unit, length] = UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
  // Under a minute is "now": a clock a few seconds off would otherwise read as a moment in the future.
  return format.format(unit === 'second' ? 0 : Math.trunc(seconds / length), unit);
}

export const STATUS_LABELS = { active: 'Active', expiring_soon: 'Expiring soon', expired: 'Expired', suspended: 'Suspended' } as const;
export const KIND_LABELS = { primary: 'Primary', dynamic: 'Dynamic', reserved: 'Reserved' } as const;
export const ORDER_LABELS = { new: 'New subscription', renewal: 'Renewal', add_licenses: 'More licenses', trial: 'Trial' } as const;
export const DURATION_LABELS = { '1m': '1 month', '1y': '1 year', '2y': '2 years', '3y': '3 years' } as const;
/** A person as lists name them: first and last name, or the email address when they gave none. */
export const personName = (p: { firstName: string; lastName: string; email: string }) => `${p.firstName} ${p.lastName}`.trim() || p.email;
export const ROLE_LABELS = { admin: 'Account Administrator', member: 'Regular Member' } as const;

/** Products' names by their codes. */
export type ProductNames = ReadonlyMap<string, string>;

/** "10 × Desktop Virtualization, Business Edition, 5 × Device Management (mobile)": a code shows only for a product the catalog no longer has. */
export const linesText = (items: readonly { productCode: string; licenseType: string | null; quantity: number }[], names: ProductNames) =>
  items.map((i) => `${i.quantity} × ${names.get(i.productCode) ?? i.productCode}${i.licenseType ? ` (${i.licenseType})` : ''}`).join(', ');

/** A date input's value (yyyy-mm-dd) for a date some days from today. */
export function dateInputValue(daysFromToday: number): string {
  const d = new Date(Date.now() + daysFromToday * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
