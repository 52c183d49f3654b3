import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type ApiClient, type Reply, type TestApp } from '../support/harness.js';
import { accountWithResources, exampleBody, exampleQuery, fill, operationsOf, type Ids, type JsonSchema, type Operation } from '../support/routes.js';
import { signedInOperator } from '../support/vendor.js';
import { watchWrites, type WriteLog } from '../support/write-log.js';

/**
 * Every operation of the OpenAPI document, sent property-generated bad input by a caller with the
 * rights to act (an account's administrator, an operator for /vendor, the installation for the
 * licensing routes), so that the input is what is tested: wrong types, missing and extra fields,
 * hostile and huge strings, extreme numbers, another account's ids, bad query parameters and
 * path parameters. Never a 5xx, and a refused request (4xx) writes nothing. A new route is fuzzed
 * from its schema and its example in test/support/routes.ts.
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_240_610);
// About a minute per engine on a small machine; FUZZ_RUNS and FUZZ_SEED explore further.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 36);

let t: TestApp;
let writes: WriteLog;
let operations: Operation[];
let own: Awaited<ReturnType<typeof accountWithResources>>;
let foreign: Ids;
let operator: ApiClient;
const sent = { requests: 0, serverErrors: 0, refused: 0, acceptedWrites: 0 };

beforeAll(async () => {
  t = await createTestApp();
  operations = operationsOf(t);
  own = await accountWithResources(t, 'own');
  foreign = (await accountWithResources(t, 'foreign')).ids;
  operator = (await signedInOperator(t)).client;
  writes = await watchWrites(t.deps.db);
});
afterAll(async () => {
  // The figure for the run: how much was sent and how many server errors came back.
  console.log(`route fuzz (${process.env['KEYLINE_TEST_ENGINE']}, seed ${SEED}): ${sent.requests} requests to ${operations.length} operations, ${sent.refused} refused (none wrote anything), ${sent.serverErrors} 5xx; accepted ones wrote ${sent.acceptedWrites} rows`);
  await t.close();
});

// Text no request may store, text that is only odd, and sizes past every limit.
const MEGABYTE = 'x'.repeat(1_048_576);
const hostileString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\udfff\ud800', MEGABYTE, MEGABYTE.slice(0, 1_000_000)),
  fc.constantFrom("' OR 1=1 --", '%', '_%\\', '\u202e\u200b', '😀'.repeat(70), '', ' ', '\n\t', '<script>alert(1)</script>', '../../etc/passwd', '__proto__', '-1', '1e309'),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, -2_147_483_649, 2_147_483_648, 2 ** 53, 2 ** 63, 1e308, -1e308, 0.5, -0.0001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
// Nesting deeper than a recursive JSON.stringify goes (the client's own): sent as text.
const DEEP = 100_000;
const deepJson = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [null], { nested: { deeper: true } }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Path segments a client could send: percent-encoded NUL and surrogate bytes, traversal, sizes.
const hostileSegment = fc.oneof(
  fc.constantFrom('not-a-uuid', '%00', 'a%00b', '%ED%A0%80', '%FF', '..%2F..', '%2e%2e', '-1', '0', 'x'.repeat(300), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  fc.uuid(),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
);

type Json = unknown;
/** Every place in a JSON value: the path to it from the top. */
function places(value: Json, path: (string | number)[] = []): (string | number)[][] {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => places(v, [...path, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => places(v, [...path, k]))];
  return here;
}
function setAt(value: Json, path: (string | number)[], change: (old: Json, parent: Record<string, unknown> | unknown[], key: string | number) => void): Json {
  const copy = structuredClone(value);
  if (path.length === 0) return copy;
  let parent = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key as string] as Record<string, unknown>;
  const key = path.at(-1)!;
  change(parent[key as string], parent, key);
  return copy;
}

interface Attempt {
  label: string;
  path: Record<string, string>;
  query: [string, string][];
  /** Appended to the query string as written: bytes URLSearchParams would not let through. */
  rawQuery?: string;
  body: unknown;
  /** Sent as this exact text with this content type, instead of `body` as JSON. */
  raw?: { text: string; type: string };
  /** Only another account's ids were put in: the request must not act, whatever it answers. */
  foreignOnly?: boolean;
}

/** Bad versions of a body, from its example and the fields its schema names. */
function bodyAttempts(example: Json, schema: JsonSchema | null): fc.Arbitrary<{ label: string; body: Json; foreignOnly?: boolean }> {
  const all = places(example);
  const fields = Object.keys(schema?.properties ?? {});
  const uuids = all.filter((p) => p.length > 0 && typeof p.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], example) === 'string').filter((p) => UUID.test(String(p.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], example))));
  const options: fc.Arbitrary<{ label: string; body: Json; foreignOnly?: boolean }>[] = [
    fc.tuple(fc.constantFrom(...all), wrongValue).map(([p, v]) => ({ label: `${p.join('.') || 'body'} set to a wrong value`, body: p.length ? setAt(example, p, (_o, parent, k) => ((parent as Record<string, unknown>)[k] = v)) : v })),
    fc.tuple(fc.constantFrom(...all), hostileString).map(([p, key]) => ({
      label: `extra field at ${p.join('.') || 'body'}`,
      body: setAt(example, p, (old) => {
        if (old && typeof old === 'object' && !Array.isArray(old)) (old as Record<string, unknown>)[key || 'unexpectedField'] = 'x';
      }),
    })),
    fc.constant({ label: 'an empty body', body: {} }),
  ];
  const inner = all.filter((p) => p.length > 0);
  if (inner.length) {
    options.push(
      fc.constantFrom(...inner).map((p) => ({
        label: `${p.join('.')} left out`,
        body: setAt(example, p, (_o, parent, k) => (Array.isArray(parent) ? parent.splice(k as number, 1) : delete (parent as Record<string, unknown>)[k])),
      })),
    );
  }
  if (fields.length) {
    options.push(fc.tuple(fc.constantFrom(...fields), wrongValue).map(([f, v]) => ({ label: `${f} (from the schema) set to a wrong value`, body: { ...(example as object), [f]: v } })));
  }
  if (uuids.length) {
    options.push(
      fc.constantFrom(...uuids).map((p) => ({
        label: `another account's id at ${p.join('.')}`,
        body: setAt(example, p, (_o, parent, k) => ((parent as Record<string, unknown>)[k] = foreign[String(p.filter((x) => typeof x === 'string').at(-1)).replace(/s$/, '')] ?? foreign['keyId'])),
        foreignOnly: true,
      })),
    );
  }
  return fc.oneof(...options);
}

/** Bad requests for one operation: one part wrong at a time, the rest as its example has it. */
function attempts(op: Operation, ids: Ids): fc.Arbitrary<Attempt> {
  const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const example = exampleBody(op, ids);
  if (op.bodyType && example === undefined) throw new Error(`${op.key} needs an example body: add one to exampleBody in test/support/routes.ts`);
  const query = Object.entries(exampleQuery(op, ids));
  const path = Object.fromEntries(pathParams.map((n) => [n, ids[n]!]));
  const base = { path, query, body: op.bodyType === 'json' ? example : undefined, ...(op.bodyType === 'csv' ? { raw: { text: example as string, type: 'text/csv' } } : {}) };
  // Whatever the route: input refused before any handler runs (broken or oversized JSON, text
  // that cannot be stored, a media type nobody parses). A route that takes no input at all gets
  // only these, so that the fuzz never really signs itself out or leaves the account.
  const options: fc.Arbitrary<Attempt>[] = [
    fc.constantFrom(
      { label: 'broken JSON', raw: { text: '{"a": ', type: 'application/json' } },
      { label: 'JSON past the body limit', raw: { text: JSON.stringify({ a: MEGABYTE }), type: 'application/json' } },
      { label: 'a NUL in a JSON body', raw: { text: '{"a":"\\u0000"}', type: 'application/json' } },
      { label: 'a lone surrogate in a JSON key', raw: { text: '{"\\ud800":1}', type: 'application/json' } },
      { label: 'an unknown media type', raw: { text: 'hello', type: 'application/x-unknown' } },
      { label: `arrays ${DEEP} deep`, raw: { text: deepJson, type: 'application/json' } },
    ).map((a) => ({ ...base, ...a })),
    fc
      .tuple(fc.constantFrom('%00', '%ED%A0%80', 'a%00b', '%FF%FE'), fc.constantFrom('q', ...queryParams.map((p) => p.name)))
      .map(([v, name]) => ({ ...base, label: `${name}=${v} in the query`, rawQuery: `${name}=${v}` })),
  ];
  if (pathParams.length) {
    options.push(
      fc.tuple(fc.constantFrom(...pathParams), hostileSegment).map(([name, v]) => ({ ...base, label: `path ${name}=${v.slice(0, 40)}`, path: { ...path, [name]: v } })),
    );
    const swappable = pathParams.filter((n) => foreign[n] !== ids[n]);
    if (!op.path.startsWith('/api/v1/vendor/') && swappable.length) {
      options.push(fc.constantFrom(...swappable).map((name) => ({ ...base, label: `another account's ${name} in the path`, path: { ...path, [name]: foreign[name]! }, foreignOnly: true })));
    }
  }
  if (queryParams.length) {
    const names = queryParams.map((p) => p.name);
    options.push(
      fc.tuple(fc.constantFrom(...names), fc.oneof(hostileString.filter((s) => s.length < 20_000 && s.isWellFormed()), hostileNumber.map(String))).map(([name, v]) => ({
        ...base,
        label: `query ${name} set to a bad value`,
        query: [...query.filter(([k]) => k !== name), [name, v]] as [string, string][],
      })),
      fc.constantFrom(...names).map((name) => ({ ...base, label: `query ${name} given twice`, query: [...query, [name, '1'], [name, '2']] as [string, string][] })),
      fc.constant({ ...base, label: 'an unknown query parameter', query: [...query, ['unexpectedParameter', '1']] as [string, string][] }),
    );
    if (query.length) options.push(fc.constantFrom(...query.map(([k]) => k)).map((name) => ({ ...base, label: `required query ${name} left out`, query: query.filter(([k]) => k !== name) })));
  }
  if (op.bodyType === 'json') {
    options.push(bodyAttempts(example, op.bodySchema).map((b) => ({ ...base, ...b })));
    const fields = Object.keys(op.bodySchema?.properties ?? {});
    if (fields.length) {
      options.push(
        fc.constantFrom(...fields).map((f) => ({
          ...base,
          label: `${f} set to arrays ${DEEP} deep`,
          raw: { text: JSON.stringify({ ...(example as object), [f]: 'DEEP' }).replace('"DEEP"', deepJson), type: 'application/json' },
        })),
      );
    }
  }
  if (op.bodyType === 'csv') {
    options.push(
      fc.oneof(hostileString, fc.constant('"unclosed\n'), fc.constant(`email\n${'a@b.co\n'.repeat(1200)}`)).map((text) => ({ ...base, label: 'a bad CSV file', raw: { text: `email,name\nsomeone@example.com,${text}\n`, type: 'text/csv' } })),
    );
  }
  return fc.oneof(...options);
}

function callerOf(op: Operation): ApiClient {
  if (op.installation) return own.installationClient;
  if (op.path.startsWith('/api/v1/vendor/')) return operator;
  return own.owner.client;
}

async function send(op: Operation, a: Attempt): Promise<Reply> {
  // Path segments go as written: ids need no encoding, and hostile segments come percent-encoded.
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => a.path[name]!);
  const parts = [new URLSearchParams(a.query).toString(), a.rawQuery ?? ''].filter((q) => q !== '');
  const query = parts.length ? `?${parts.join('&')}` : '';
  const client = callerOf(op);
  sent.requests++;
  if (a.raw) return client.request(op.method, path + query, a.raw.text, { 'content-type': a.raw.type });
  return client.request(op.method, path + query, op.method === 'GET' ? undefined : a.body);
}

/** Signs the fuzz's callers back in if an accepted request signed them out (a session or token route). */
async function keepSignedIn() {
  if ((await own.owner.client.get('/api/v1/me')).status === 401) await own.owner.client.signIn(own.owner.email, PASSWORD);
}

describe('every route, fuzzed', () => {
  it('answers bad input without a server error, and a refused request writes nothing', { timeout: 600_000 }, async () => {
    expect(operations.length).toBeGreaterThan(50);
    for (const [index, op] of operations.entries()) {
      fill(op, own.ids);
      await writes.take();
      await fc.assert(
        fc.asyncProperty(attempts(op, own.ids), async (a) => {
          const res = await send(op, a);
          const written = await writes.take();
          const what = `${op.key}: ${a.label} answered ${res.status} ${JSON.stringify(res.body?.error ?? '').slice(0, 300)}`;
          if (res.status >= 500) sent.serverErrors++;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) sent.refused++;
          if (res.status >= 400 || a.foreignOnly) expect(written.map((w) => `${w.op} ${w.table}`), `${what}, yet wrote`).toEqual([]);
          else sent.acceptedWrites += written.length;
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
      await keepSignedIn();
    }
    expect(sent.serverErrors).toBe(0);
    // The write log sees what accepted requests wrote, so its silence after refused ones means something.
    expect(sent.acceptedWrites).toBeGreaterThan(0);
  });
});
