import type { ColumnType, Generated, Selectable } from 'kysely';
import type { AccountKind, MemberRole, MemberStatus } from '../domain/membership.js';
import type { OrderItem, OrderKind } from '../domain/order.js';
import type { Payload } from '../domain/payloads.js';
import type { KeyKind } from '../domain/seat-pool.js';
import type { Duration, SalesChannel, SubscriptionStatus, SupportPlan } from '../domain/subscription.js';
import type { VmArchitecture, VmState } from '../domain/virtual-machines.js';
import type { InvitationLanguage } from '../mail/templates.js';

// Row types of the tables the migrations create; kept by hand next to the migrations. The values
// the rules of src/domain read (roles, statuses, kinds) are declared there, and the columns take them.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  first_name: string;
  last_name: string;
  password_hash: string;
  email_verified_at: NullableTimestamp;
  is_operator: Generated<boolean>;
  failed_sign_ins: Generated<number>;
  locked_until: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AccountsTable {
  id: Generated<string>;
  kind: AccountKind;
  name: string;
  street: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
  support_code: string;
  owner_user_id: string | null;
  offline_activation_enabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: MemberRole;
  status: Generated<MemberStatus>;
  notes: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export type UserTokenPurpose = 'verify_email' | 'reset_password';

export interface UserTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: UserTokenPurpose;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface InvitationsTable {
  id: Generated<string>;
  account_id: string;
  email: string;
  role: MemberRole;
  language: InvitationLanguage;
  token_hash: string;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  revoked_at: NullableTimestamp;
  sent_count: Generated<number>;
  last_sent_at: Timestamp;
  created_at: Generated<Date>;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Generated<string>;
  account_id: string | null;
  template: string;
  to_address: string;
  subject: string;
  text_body: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  message_id: string | null;
  sent_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface AuditEventsTable {
  id: Generated<number>;
  account_id: string | null;
  actor_user_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  ip: string | null;
  created_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpointsTable {
  id: Generated<string>;
  /** null: the vendor's own endpoint, which hears every account's events. */
  account_id: string | null;
  url: string;
  description: string;
  event_types: string[];
  enabled: Generated<boolean>;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: NullableTimestamp;
  failure_streak: Generated<number>;
  failing_since: NullableTimestamp;
  disabled_at: NullableTimestamp;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpoint_id: string;
  account_id: string | null;
  event_type: string;
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  round_attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  account_id: string | null;
  attempted_at: Timestamp;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_started_at: Timestamp;
  hits: number;
}

export interface ProductsTable {
  code: string;
  name: string;
  model: string;
  license_types: Json<string[]>;
  params: Json<Record<string, unknown>>;
  support_url: string | null;
  features: Json<string[]>;
  payload_types: Json<unknown[]>;
  upgrade_to: string | null;
  /** Rules per license type (0021): a per-user type's minimum quantity, machines per user, ... */
  license_type_rules: Json<Record<string, unknown>>;
  license_type_required: Generated<boolean>;
  created_at: Generated<Date>;
}

/** A payload set: the columns a configuration profile and a policy share (payload-sets.ts). */
export interface PayloadSetsTable {
  id: Generated<string>;
  account_id: string;
  product_code: string;
  name: string;
  payloads: Json<Payload[]>;
  version: Generated<number>;
  content_hash: string;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ConfigurationProfilesTable = PayloadSetsTable;
export type PoliciesTable = PayloadSetsTable;

export interface UserGroupsTable {
  id: Generated<string>;
  account_id: string;
  subscription_id: string;
  license_key_id: string;
  policy_id: string | null;
  name: string;
  directory_group: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SigningKeysTable {
  kid: string;
  private_key_pem: string;
  public_jwk: Json<Record<string, string>>;
  created_at: Generated<Date>;
  retired_at: NullableTimestamp;
}

export interface SubscriptionsTable {
  id: Generated<string>;
  account_id: string | null;
  customer_email: string;
  name: string;
  status: Generated<SubscriptionStatus>;
  channel: SalesChannel;
  support_plan: SupportPlan;
  auto_renew: Generated<boolean>;
  starts_at: Timestamp;
  expires_at: Timestamp;
  registered_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SubscriptionRemindersTable {
  subscription_id: string;
  expires_at: Timestamp;
  days_before: number;
  sent_at: Timestamp;
}

export interface SubscriptionItemsTable {
  id: Generated<string>;
  subscription_id: string;
  account_id: string | null;
  product_code: string;
  license_type: string | null;
  quantity: number;
  reserved: Generated<number>;
  main_used: Generated<number>;
  /** The product the item held before the vendor converted it to that product's upgrade (0016). */
  converted_from: string | null;
}

export interface LicenseKeysTable {
  id: Generated<string>;
  subscription_id: string;
  item_id: string | null;
  account_id: string | null;
  kind: KeyKind;
  name: string;
  quota: number | null;
  used: Generated<number>;
  moves_used: Generated<number>;
  key_hash: string;
  key_text: string;
  expires_at: NullableTimestamp;
  released_at: NullableTimestamp;
  profile_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type InstallationState = 'active' | 'deactivated';

export interface InstallationsTable {
  id: Generated<string>;
  account_id: string | null;
  subscription_id: string | null;
  item_id: string | null;
  license_key_id: string | null;
  product_code: string;
  license_type: string | null;
  fingerprint: string;
  public_key: string;
  token_hash: string;
  state: Generated<InstallationState>;
  trial: Generated<boolean>;
  name: string | null;
  app_version: string | null;
  host_os: string | null;
  user_name: string | null;
  hardware: Json<Record<string, unknown>>;
  site: Json<Record<string, unknown>>;
  activated_at: Timestamp;
  activated_by: string | null;
  last_seen_at: Timestamp;
  next_check_in_at: Timestamp;
  deactivated_at: NullableTimestamp;
  deactivation_reason: string | null;
  pending_action: 'deactivate' | 'move' | null;
  pending_key_id: string | null;
  holds_seat: Generated<boolean>;
  usage_peak: number | null;
  usage_current: number | null;
  usage_measured_at: NullableTimestamp;
  applied_profile_hash: string | null;
  /** When the server recorded the latest usage report (0018): the report schedule runs from it. */
  usage_reported_at: NullableTimestamp;
  /** The digest of the stored VM inventory (0014): a check-in reporting the same one writes nothing. */
  vm_inventory_hash: string | null;
  over_limit_since: NullableTimestamp;
  /** Activated with offline files: it never checks in. */
  offline: Generated<boolean>;
  alias: string | null;
  notes: Generated<string>;
  /** Kept by triggers (0008): the expiry that applies, and when the machine was blacklisted for its key. */
  license_expires_at: ColumnType<Date | null, never, never>;
  blacklisted_at: ColumnType<Date | null, never, never>;
  search_text: ColumnType<string, never, never>;
  /** The user seat an installation activated by signing in runs under (0021); it holds no seat itself. */
  user_seat_id: string | null;
}

export interface InstallationUsageTable {
  id: Generated<number>;
  installation_id: string;
  account_id: string | null;
  peak: number;
  current: number;
  measured_at: Timestamp;
  reported_at: Timestamp;
}

export interface VirtualMachinesTable {
  installation_id: string;
  uuid: string;
  id: Generated<string>;
  account_id: string;
  name: string;
  guest_os: string | null;
  state: VmState;
  architecture: VmArchitecture;
  last_used_at: NullableTimestamp;
  reported_at: Timestamp;
}

export interface BlacklistedMachinesTable {
  license_key_id: string;
  fingerprint: string;
  account_id: string | null;
  created_at: Generated<Date>;
}

export interface TrialsTable {
  product_code: string;
  fingerprint: string;
  installation_id: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

/** An account's trial of an upgrade product, beside the subscription it was started from (0016); once per account and product. */
export interface EditionTrialsTable {
  account_id: string;
  product_code: string;
  subscription_id: string;
  beside_subscription_id: string | null;
  created_at: Generated<Date>;
}

export interface OrdersTable {
  id: Generated<string>;
  number: Generated<number>;
  subscription_id: string;
  account_id: string | null;
  kind: OrderKind;
  channel: SalesChannel;
  duration: Duration | null;
  items: Json<OrderItem[]>;
  previous_expires_at: NullableTimestamp;
  new_expires_at: Timestamp;
  placed_by: string | null;
  created_at: Timestamp;
}

export interface KeyAdminsTable {
  account_id: string;
  license_key_id: string;
  user_id: string;
  granted_by: string | null;
  created_at: Generated<Date>;
}

export interface InstallInvitationsTable {
  id: Generated<string>;
  account_id: string;
  license_key_id: string;
  email: string;
  language: InvitationLanguage;
  code_hash: string;
  code_text: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  installation_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  sent_count: Generated<number>;
  last_sent_at: Timestamp;
}

export interface OfflineNoncesTable {
  nonce: string;
  account_id: string | null;
  installation_id: string | null;
  kind: 'activation-request' | 'refresh-request' | 'deactivation-request';
  accepted_at: Timestamp;
}

export type DirectoryUserSource = 'scim' | 'sign_in';

export interface DirectoryUsersTable {
  id: Generated<string>;
  account_id: string;
  source: DirectoryUserSource;
  user_name: string;
  external_id: string | null;
  subject: string | null;
  email: string | null;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  active: Generated<boolean>;
  attributes: Json<Record<string, unknown>>;
  version: Generated<number>;
  deactivated_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DirectoryGroupsTable {
  id: Generated<string>;
  account_id: string;
  display_name: string;
  external_id: string | null;
  attributes: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DirectoryGroupMembersTable {
  group_id: string;
  user_id: string;
  account_id: string;
  added_at: Generated<Date>;
}

export interface IdentityProvidersTable {
  account_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  groups_claim: string | null;
  enabled: Generated<boolean>;
  inactivity_days: number | null;
  version: Generated<number>;
  tested_version: number | null;
  tested_at: NullableTimestamp;
  tested_claims: Json<Record<string, unknown>> | null;
  updated_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface IdentityProviderDomainsTable {
  domain: string;
  account_id: string;
}

export interface UserSeatsTable {
  id: Generated<string>;
  account_id: string;
  subscription_id: string;
  item_id: string;
  license_key_id: string;
  directory_user_id: string;
  taken_at: Timestamp;
  released_at: NullableTimestamp;
  release_reason: string | null;
}

export type SsoGrantStatus = 'pending' | 'approved' | 'denied' | 'consumed';

export interface SsoGrantsTable {
  id: Generated<string>;
  account_id: string;
  purpose: 'activation' | 'test';
  product_code: string | null;
  device_code_hash: string | null;
  user_code: string | null;
  oidc_state: string | null;
  nonce: string | null;
  code_verifier_sealed: string | null;
  status: Generated<SsoGrantStatus>;
  directory_user_id: string | null;
  denial: string | null;
  requested_by: string | null;
  provider_version: number | null;
  consumed_fingerprint: string | null;
  interval_seconds: Generated<number>;
  last_polled_at: NullableTimestamp;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface DB {
  users: UsersTable;
  accounts: AccountsTable;
  memberships: MembershipsTable;
  subscription_reminders: SubscriptionRemindersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  user_tokens: UserTokensTable;
  invitations: InvitationsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  products: ProductsTable;
  configuration_profiles: ConfigurationProfilesTable;
  policies: PoliciesTable;
  user_groups: UserGroupsTable;
  signing_keys: SigningKeysTable;
  subscriptions: SubscriptionsTable;
  subscription_items: SubscriptionItemsTable;
  license_keys: LicenseKeysTable;
  installations: InstallationsTable;
  installation_usage: InstallationUsageTable;
  virtual_machines: VirtualMachinesTable;
  blacklisted_machines: BlacklistedMachinesTable;
  trials: TrialsTable;
  edition_trials: EditionTrialsTable;
  orders: OrdersTable;
  key_admins: KeyAdminsTable;
  install_invitations: InstallInvitationsTable;
  offline_nonces: OfflineNoncesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  directory_users: DirectoryUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_group_members: DirectoryGroupMembersTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_domains: IdentityProviderDomainsTable;
  user_seats: UserSeatsTable;
  sso_grants: SsoGrantsTable;
}

export type User = Selectable<UsersTable>;
export type Account = Selectable<AccountsTable>;
export type Membership = Selectable<MembershipsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type Subscription = Selectable<SubscriptionsTable>;
export type SubscriptionItem = Selectable<SubscriptionItemsTable>;
export type LicenseKey = Selectable<LicenseKeysTable>;
export type Installation = Selectable<InstallationsTable>;
export type Order = Selectable<OrdersTable>;
export type InstallInvitation = Selectable<InstallInvitationsTable>;
export type UserGroup = Selectable<UserGroupsTable>;
export type DirectoryUser = Selectable<DirectoryUsersTable>;
export type DirectoryGroup = Selectable<DirectoryGroupsTable>;
export type IdentityProvider = Selectable<IdentityProvidersTable>;
export type UserSeat = Selectable<UserSeatsTable>;
export type SsoGrant = Selectable<SsoGrantsTable>;
