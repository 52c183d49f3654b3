import { z } from 'zod';
import type { Account, User } from '../data/schema.js';

// API shapes: camelCase, ISO timestamps. Each schema doubles as the route's response contract.
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    emailVerified: z.boolean(),
    isOperator: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export function presentUser(u: User): z.infer<typeof userSchema> {
  return {
    id: u.id,
    email: u.email,
    firstName: u.first_name,
    lastName: u.last_name,
    emailVerified: u.email_verified_at !== null,
    isOperator: u.is_operator,
    createdAt: u.created_at.toISOString(),
  };
}

export const accountSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['personal', 'business']),
    name: z.string(),
    street: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string().nullable(),
    state: z.string().nullable(),
    zip: z.string().nullable(),
    phone: z.string().nullable(),
    supportCode: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Account' });

export function presentAccount(a: Account): z.infer<typeof accountSchema> {
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    street: a.street,
    city: a.city,
    country: a.country,
    state: a.state,
    zip: a.zip,
    phone: a.phone,
    supportCode: a.support_code,
    createdAt: a.created_at.toISOString(),
  };
}

export const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.enum(['admin', 'member']),
    status: z.enum(['active', 'blocked']),
    notes: z.string(),
    joinedAt: z.string(),
  })
  .meta({ id: 'Member' });

export function presentMember(m: {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: 'admin' | 'member';
  status: 'active' | 'blocked';
  notes: string;
  created_at: Date;
}): z.infer<typeof memberSchema> {
  return {
    userId: m.user_id,
    email: m.email,
    firstName: m.first_name,
    lastName: m.last_name,
    role: m.role,
    status: m.status,
    notes: m.notes,
    joinedAt: m.created_at.toISOString(),
  };
}

export { iso };
