import { hash, verify } from '@node-rs/argon2';

// The library's default algorithm is argon2id (its Algorithm enum is const, unusable here);
// OWASP's baseline of 19 MiB and 2 passes is about 55 ms a hash on this class of machine.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when no user matches keeps sign-in timing the same for unknown emails. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('keyline-timing-equalizer');
  return dummyHash;
}
