// Dates and words as the user's browser locale writes them.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const countryNames = new Intl.DisplayNames(undefined, { type: 'region' });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const countryName = (code: string) => countryNames.of(code) ?? code;

export const STATUS_LABELS = { active: 'Active', expiring_soon: 'Expiring soon', expired: 'Expired', suspended: 'Suspended' } as const;
export const KIND_LABELS = { primary: 'Primary', dynamic: 'Dynamic', reserved: 'Reserved' } as const;
export const ORDER_LABELS = { new: 'New subscription', renewal: 'Renewal', add_licenses: 'More licenses', trial: 'Trial' } as const;
export const DURATION_LABELS = { '1m': '1 month', '1y': '1 year', '2y': '2 years', '3y': '3 years' } as const;
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
