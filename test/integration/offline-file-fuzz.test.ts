import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOfflineRequest } from '../../src/client/offline.js';
import { newIdentity } from '../../src/client/state.js';
import type { ErrorCode } from '../../src/domain/errors.js';
import { ARMOR_KIND_OF, dearmor, type ArmorKind } from '../../src/domain/offline-file.js';
import type { OfflineRequestKind } from '../../src/domain/licensing-protocol.js';
import { testEngine } from '../support/database.js';
import type { TestApp } from '../support/harness.js';
import { offlineCustomer, offlineFingerprint, tokenUploader, type UploadAnswer } from '../support/offline.js';
import type { ServerProcess } from '../support/server-process.js';
import { appWithServers, closeAppWithServers } from '../support/app-with-servers.js';

/**
 * Offline request files garbled, cut, re-signed with wrong content and replayed, through the real
 * upload route (on PostgreSQL, two `keyline serve` processes on one database). Whatever comes, the
 * server answers below 500 with one of the codes an upload is documented to refuse with, and only
 * an accepted file changes a seat, a nonce or an installation.
 */
let t: TestApp;
let servers: ServerProcess[] = [];
beforeAll(async () => ({ t, servers } = await appWithServers()));
afterAll(async () => {
  await closeAppWithServers(t, servers);
  console.info(`offline-file fuzz (${testEngine()}): ${sent} uploads sent, ${accepted} accepted, ${serverErrors.length} answered 5xx`);
});

/** The refusals PROTOCOL.md and the online rules give an upload: the file's own, then the licensing rules'. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'file_malformed',
  'file_signature_invalid',
  'file_expired',
  'file_replayed',
  'file_wrong_installation',
  'file_wrong_account',
  'validation_failed',
  'not_found',
  'key_malformed',
  'key_checksum_mismatch',
  'key_not_found',
  'key_not_registered',
  'product_mismatch',
  'license_type_mismatch',
  'quota_exhausted',
  'installation_deactivated',
]);

let sent = 0;
let accepted = 0;
const serverErrors: string[] = [];

/** What only an accepted file may change: the account's installations, its seat counters, and every nonce. */
async function fingerprint(accountId: string): Promise<string> {
  const { rows } = await sql<{ state: string }>`
    SELECT concat_ws(' | ',
      (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.id), '')) FROM installations i WHERE i.account_id = ${accountId}),
      (SELECT md5(coalesce(string_agg(n::text, ',' ORDER BY n.nonce), '')) FROM offline_nonces n),
      (SELECT string_agg(k.id || ':' || k.used, ',' ORDER BY k.id) FROM license_keys k WHERE k.account_id = ${accountId}),
      (SELECT string_agg(it.id || ':' || it.main_used || ':' || it.reserved, ',' ORDER BY it.id)
         FROM subscription_items it JOIN subscriptions s ON s.id = it.subscription_id WHERE s.account_id = ${accountId})
    ) AS state`.execute(t.deps.db);
  return rows[0]!.state;
}

/** The armor around any bytes, as `armor` writes it around text. */
function armorBytes(kind: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN KEYLINE ${kind}-----`, ...lines, `-----END KEYLINE ${kind}-----`, ''].join('\n');
}

/** A compact JWS with exactly this header (alg included or not), signed with the installation's key. */
function signExactly(header: unknown, payload: unknown, privateKeyPem: string): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

/** JSON PostgreSQL can store: hostile text is the route-wide fuzz test's part. */
const storable = (v: unknown) => {
  const json = JSON.stringify(v) ?? '';
  return !json.includes('\\u0000') && Buffer.from(json, 'utf8').toString('utf8') === json;
};

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

describe('offline request files, fuzzed through the upload route', () => {
  it('never answer 5xx, refuse with a documented code, and change nothing unless accepted', { timeout: 240_000 }, async () => {
    const c = await offlineCustomer(t);
    const upload = await tokenUploader(t, c, servers);
    let before = await fingerprint(c.accountId);

    /** One upload, with the invariants checked around it. */
    const send = async (label: string, text: string, mustRefuse = false): Promise<UploadAnswer> => {
      sent += 1;
      const answer = await upload(text, sent);
      const code = answer.body?.error?.code as ErrorCode | undefined;
      const after = await fingerprint(c.accountId);
      // Taken before the checks: a failed check must not leave the next run (or fast-check's
      // shrinking) comparing against the state before an earlier upload.
      const previous = before;
      before = after;
      if (answer.status >= 500) serverErrors.push(`${label}: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (answer.status === 200) {
        accepted += 1;
        expect(mustRefuse, `${label}: accepted`).toBe(false);
      } else {
        expect(REFUSALS.has(code!), `${label}: refused with ${answer.status} ${code}`).toBe(true);
        expect(after, `${label}: refused with ${code} but changed the data`).toBe(previous);
      }
      return answer;
    };

    // Valid files to start from: an activation of a new machine, and a refresh and deactivation of one activated offline.
    const fresh = await newIdentity(offlineFingerprint());
    const activated = await newIdentity(offlineFingerprint());
    const write = (identity: typeof fresh, kind: OfflineRequestKind, installationId?: string) =>
      writeOfflineRequest(identity, { kind, product: 'desktop-business', licenseKey: c.key, installationId, details: { name: 'lab-7', hardware: { cpuArch: 'x64' } } }).text;
    const firstActivation = write(activated, 'activation-request');
    const first = await send('activation', firstActivation);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const installationId = first.body.installationId as string;
    const bases = [
      { kind: 'activation-request' as const, identity: fresh, text: write(fresh, 'activation-request') },
      { kind: 'refresh-request' as const, identity: activated, text: write(activated, 'refresh-request', installationId) },
      { kind: 'deactivation-request' as const, identity: activated, text: write(activated, 'deactivation-request', installationId) },
    ];
    const parts = (text: string) => dearmor(text).content.split('.') as [string, string, string];
    const payloadOf = (text: string) => JSON.parse(Buffer.from(parts(text)[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const armorKind = (kind: OfflineRequestKind): ArmorKind => ARMOR_KIND_OF[kind];

    const base = fc.constantFrom(...bases);
    const position = (length: number) => fc.integer({ min: 0, max: length - 1 });
    // One flip per position: two flips of the same bit cancel out and give back the valid file.
    const flipsIn = (length: number, highestBit: number) =>
      fc.uniqueArray(fc.tuple(position(length), fc.integer({ min: 0, max: highestBit })), { minLength: 1, maxLength: 3, selector: ([at]) => at });
    // Some are still good files (a flipped line break is a space the armor tolerates, a dropped
    // optional field is a request without it); a changed signed byte, a cut content and a header
    // other than EdDSA with no crit never are.
    const mutations: fc.Arbitrary<{ label: string; text: string; mustRefuse?: boolean }>[] = [
      // Bits flipped in the armored text, as a bad copy or a bad disk does.
      base.chain((b) =>
        flipsIn(b.text.length, 6).map((flips) => {
          const chars = [...b.text];
          for (const [at, bit] of flips) chars[at] = String.fromCharCode(chars[at]!.charCodeAt(0) ^ (1 << bit));
          return { label: `${b.kind} armor bits ${JSON.stringify(flips)}`, text: chars.join('') };
        }),
      ),
      // Bits flipped in the content under a well-formed armor.
      base.chain((b) => {
        const bytes = Buffer.from(dearmor(b.text).content, 'utf8');
        return flipsIn(bytes.length, 7).map((flips) => {
          const flipped = Buffer.from(bytes);
          for (const [at, bit] of flips) flipped[at]! ^= 1 << bit;
          return { label: `${b.kind} content bits ${JSON.stringify(flips)}`, text: armorBytes(armorKind(b.kind), flipped), mustRefuse: true };
        });
      }),
      // Cut short: the text as pasted, or the content under a well-formed armor.
      base.chain((b) => position(b.text.length).map((n) => ({ label: `${b.kind} text cut at ${n}`, text: b.text.slice(0, n) }))),
      base.chain((b) => {
        const content = dearmor(b.text).content;
        return position(content.length).map((n) => ({ label: `${b.kind} content cut at ${n}`, text: armorBytes(armorKind(b.kind), Buffer.from(content.slice(0, n))), mustRefuse: true }));
      }),
      // The content with a field of the wrong type, removed, or added, and signed again so the signature holds.
      base.chain((b) => {
        const payload = payloadOf(b.text);
        const fields = Object.keys(payload);
        const changed = fc.oneof(
          fc.tuple(fc.constantFrom(...fields), fc.jsonValue().filter(storable)).filter(([f, v]) => typeOf(v) !== typeOf(payload[f])).map(([f, v]) => ({ what: `${f}=${JSON.stringify(v).slice(0, 40)}`, payload: { ...payload, [f]: v } })),
          fc.constantFrom(...fields).map((f) => ({ what: `without ${f}`, payload: Object.fromEntries(Object.entries(payload).filter(([k]) => k !== f)) })),
          fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue().filter(storable)).map(([f, v]) => ({ what: `extra ${f}`, payload: { ...payload, [f]: v } })),
          fc.jsonValue().filter(storable).map((v) => ({ what: `payload ${typeOf(v)}`, payload: v })),
        );
        return changed.map(({ what, payload: p }) => ({
          label: `${b.kind} re-signed ${what}`,
          text: armorBytes(armorKind(b.kind), Buffer.from(signExactly({ alg: 'EdDSA', typ: 'keyline-offline-request' }, p, b.identity.privateKeyPem))),
        }));
      }),
      // The header: another or no alg, a kid of the wrong type, critical extensions.
      base.chain((b) => {
        const header = fc.oneof(
          fc.constant({ typ: 'keyline-offline-request' }),
          fc.constantFrom('none', 'HS256', 'ES256', 'RS256', 'eddsa', '').map((alg) => ({ alg })),
          fc.jsonValue().filter(storable).filter((kid) => typeof kid !== 'string').map((kid) => ({ alg: 'EdDSA', kid })),
          fc.jsonValue().filter(storable).map((crit) => ({ alg: 'EdDSA', crit, exp: 0 })),
          fc.jsonValue().filter(storable).map((h) => h),
        );
        return header.map((h) => ({
          label: `${b.kind} header ${JSON.stringify(h).slice(0, 60)}`,
          text: armorBytes(armorKind(b.kind), Buffer.from(signExactly(h, payloadOf(b.text), b.identity.privateKeyPem))),
          mustRefuse: true,
        }));
      }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(...mutations), async ({ label, text, mustRefuse }) => {
        await send(label, text, mustRefuse);
      }),
      { numRuns: 1500 },
    );

    // Replays of a file accepted.
    for (let i = 0; i < 5; i++) expect((await send('replayed activation', firstActivation)).body.error?.code).toBe('file_replayed');

    // One file uploaded many times at once, to both processes: accepted exactly once, the others replays.
    const racer = await newIdentity(offlineFingerprint());
    const race = async (label: string, text: string) => {
      const nonces = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM offline_nonces`.execute(t.deps.db)).rows[0]!.n;
      const noncesBefore = await nonces();
      sent += 8;
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(text, i)));
      for (const a of answers) if (a.status >= 500) serverErrors.push(`${label}: ${a.status} ${JSON.stringify(a.body)}`);
      accepted += answers.filter((a) => a.status === 200).length;
      expect(answers.map((a) => a.body.error?.code ?? a.status).sort(), label).toEqual([200, ...Array(7).fill('file_replayed')]);
      expect(await nonces(), label).toBe(noncesBefore + 1);
      before = await fingerprint(c.accountId);
      expect((await send(`${label}, once more`, text)).body.error?.code).toBe('file_replayed');
      return answers.find((a) => a.status === 200)!;
    };
    const raced = await race('concurrent activation', write(racer, 'activation-request'));
    const racedId = raced.body.installationId as string;
    await race('concurrent refresh', write(racer, 'refresh-request', racedId));
    const seatsBefore = await c.seats();
    await race('concurrent deactivation', write(racer, 'deactivation-request', racedId));
    expect(await c.seats()).toMatchObject({ used: seatsBefore.used - 1, active: seatsBefore.active - 1 });

    expect(serverErrors).toEqual([]);
    const seats = await c.seats();
    expect(seats.used).toBe(seats.active);
  });
});
