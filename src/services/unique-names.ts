import type { AppError } from '../domain/errors.js';

/** A name that must be free where it is saved: how to ask, how the unique index says no, and the refusal for both. */
export interface UniqueName {
  taken: () => Promise<boolean>;
  conflict: (err: unknown) => boolean;
  refusal: () => AppError;
}

/**
 * Runs `save` under a name that must be free (a profile's, a policy's, a user group's). The name
 * is checked first so that a racing twin, which the unique index refuses instead, gets the same answer.
 */
export async function savingUniqueName<T>(name: UniqueName, save: () => Promise<T>): Promise<T> {
  if (await name.taken()) throw name.refusal();
  try {
    return await save();
  } catch (err) {
    if (name.conflict(err)) throw name.refusal();
    throw err;
  }
}
