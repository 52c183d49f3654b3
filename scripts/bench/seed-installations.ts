import { sql } from 'kysely';
import type { Executor } from '../../src/data/executor.js';

/**
 * Bench data: installations made set-based, `batch` rows per INSERT ... SELECT FROM
 * generate_series, spread over the given keys the way a real fleet looks: one in ten
 * deactivated, one in a hundred of those blacklisted, contacts spread over the last 30 days,
 * names that repeat (ties for the sort), hardware to search.
 */
export async function seedInstallations(
  db: Executor,
  s: {
    accountId: string;
    subscriptionId: string;
    itemId: string;
    keyIds: readonly string[];
    count: number;
    now: Date;
    batch?: number;
    progress?: (done: number) => void;
  },
): Promise<void> {
  const batch = s.batch ?? 10_000;
  const keys = sql`${sql.val(`{${s.keyIds.join(',')}}`)}::uuid[]`;
  for (let from = 1; from <= s.count; from += batch) {
    const to = Math.min(s.count, from + batch - 1);
    await sql`
      INSERT INTO installations (account_id, subscription_id, item_id, license_key_id, product_code, fingerprint, public_key, token_hash,
        state, name, app_version, host_os, user_name, hardware, activated_at, last_seen_at, next_check_in_at, deactivated_at, holds_seat)
      SELECT ${s.accountId}::uuid, ${s.subscriptionId}::uuid, ${s.itemId}::uuid, (${keys})[1 + g % ${s.keyIds.length}],
        'desktop-business', 'bench-fp-' || g, 'bench', 'bench-token-' || g || '-' || ${s.subscriptionId}::text,
        CASE WHEN g % 10 = 0 THEN 'deactivated' ELSE 'active' END,
        'host-' || (g / 2), '19.' || (g % 4) || '.0', (ARRAY['macOS 14.5', 'macOS 13.6', 'Windows 11', 'Ubuntu 24.04'])[1 + g % 4], 'user-' || (g % 5000),
        jsonb_build_object('serialNumber', 'SN' || lpad(g::text, 8, '0'), 'macAddresses', jsonb_build_array('02:00:' || lpad(to_hex(g), 8, '0')),
          'ipAddresses', jsonb_build_array('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)),
        ${s.now}::timestamptz - make_interval(secs => g * 7.0),
        ${s.now}::timestamptz - make_interval(secs => (g * 7919) % 2592000),
        ${s.now}::timestamptz + interval '7 days',
        CASE WHEN g % 10 = 0 THEN ${s.now}::timestamptz END,
        true
      FROM generate_series(${from}::int, ${to}::int) AS g`.execute(db);
    s.progress?.(to);
  }
  // One in a hundred deactivated machines is blacklisted on its key.
  await sql`
    INSERT INTO blacklisted_machines (license_key_id, fingerprint, account_id)
    SELECT license_key_id, fingerprint, account_id FROM installations
    WHERE subscription_id = ${s.subscriptionId}::uuid AND state = 'deactivated' AND fingerprint ~ '0{3}$'
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`ANALYZE installations`.execute(db);
}
