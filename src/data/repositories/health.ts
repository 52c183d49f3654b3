import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export async function pingDatabase(db: Executor): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
