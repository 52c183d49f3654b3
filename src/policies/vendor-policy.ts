import { AppError } from '../domain/errors.js';
import type { Actor } from '../domain/actor.js';

/** The vendor back office is for operator logins only; routes say so too, this holds for any caller of the use case. */
export function requireOperator(actor: Actor): void {
  if (!actor.isOperator) throw new AppError('operator_only', 'Only vendor operators may do this');
}
