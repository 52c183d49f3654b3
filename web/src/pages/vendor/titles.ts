// Kept apart from the back office's pages, which load only when an operator opens them.

/** The document titles of the back office's pages, for App's title list. */
export const BACK_OFFICE_TITLES: [RegExp, string][] = [
  [/^\/back-office\/subscriptions\/.+/, 'Subscription · Back office'],
  [/^\/back-office\/accounts\/.+/, 'Customer · Back office'],
  [/^\/back-office(\/subscriptions)?$/, 'Subscriptions · Back office'],
  [/^\/back-office\/accounts$/, 'Customers · Back office'],
  [/^\/back-office\/orders\/new$/, 'New order · Back office'],
  [/^\/back-office\/orders$/, 'Orders · Back office'],
  [/^\/back-office\/products$/, 'Products · Back office'],
  [/^\/back-office\/webhooks$/, 'Webhooks · Back office'],
];
