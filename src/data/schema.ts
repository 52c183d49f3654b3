import type { ColumnType, Generated, Selectable } from 'kysely';
import type { InvitationLanguage } from '../mail/templates.js';

// Row types of the tables the migrations create; kept by hand next to the migrations.
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

export type AccountKind = 'personal' | 'business';

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
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type MemberRole = 'admin' | 'member';
export type MemberStatus = 'active' | 'blocked';

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
  created_at: Generated<Date>;
}

export interface DB {
  users: UsersTable;
  accounts: AccountsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  user_tokens: UserTokensTable;
  invitations: InvitationsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  products: ProductsTable;
}

export type User = Selectable<UsersTable>;
export type Account = Selectable<AccountsTable>;
export type Membership = Selectable<MembershipsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
