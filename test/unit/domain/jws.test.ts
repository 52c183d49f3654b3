import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedJwsHeader } from '../../../src/domain/jws.js';

// Headers arrive as JSON decoded from the first part of a compact JWS.
const parsed = (json: string): unknown => JSON.parse(json);
// Other header parameters a producer may add (typ, cty, ...), never alg, kid or crit.
const extras = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['alg', 'kid', 'crit', '__proto__'].includes(k)),
  fc.jsonValue(),
  { maxKeys: 4 },
);

describe('a JWS header Keyline accepts', () => {
  it.each([
    '{"alg":"EdDSA"}',
    '{"alg":"EdDSA","kid":"2025-06-key"}',
    '{"alg":"EdDSA","kid":""}',
    '{"alg":"EdDSA","kid":"k1","typ":"JWT"}',
  ])('takes %s as it is', (json) => {
    expect(acceptedJwsHeader(parsed(json))).toEqual(parsed(json));
  });

  it('is EdDSA with a text kid or none, whatever else it says', () => {
    fc.assert(
      fc.property(extras, fc.option(fc.string(), { nil: undefined }), (rest, kid) => {
        const header = { ...rest, alg: 'EdDSA', ...(kid === undefined ? {} : { kid }) };
        expect(acceptedJwsHeader(header)).toEqual(header);
      }),
    );
  });
});

describe('a JWS header Keyline refuses', () => {
  it.each(['null', '"EdDSA"', '42', 'true', '[]', '[{"alg":"EdDSA"}]'])('is not an object: %s', (json) => {
    expect(acceptedJwsHeader(parsed(json))).toBeNull();
  });

  it('is nothing at all', () => {
    expect(acceptedJwsHeader(undefined)).toBeNull();
  });

  it.each(['{}', '{"alg":"none"}', '{"alg":"HS256"}', '{"alg":"ES256"}', '{"alg":"RS256"}', '{"alg":"eddsa"}', '{"alg":"Ed25519"}', '{"alg":["EdDSA"]}', '{"alg":null}'])(
    'names another algorithm, or none: %s',
    (json) => {
      expect(acceptedJwsHeader(parsed(json))).toBeNull();
    },
  );

  it('has any other algorithm than EdDSA', () => {
    fc.assert(
      fc.property(fc.jsonValue().filter((alg) => alg !== 'EdDSA'), (alg) => {
        expect(acceptedJwsHeader({ alg })).toBeNull();
      }),
    );
  });

  it.each(['{"alg":"EdDSA","kid":null}', '{"alg":"EdDSA","kid":7}', '{"alg":"EdDSA","kid":["k1"]}', '{"alg":"EdDSA","kid":{"id":"k1"}}'])(
    'has a kid that is not text: %s',
    (json) => {
      expect(acceptedJwsHeader(parsed(json))).toBeNull();
    },
  );

  it.each(['{"alg":"EdDSA","crit":["exp"],"exp":1}', '{"alg":"EdDSA","crit":[]}', '{"alg":"EdDSA","crit":null}', '{"alg":"EdDSA","kid":"k1","crit":"b64","b64":false}'])(
    'asks for an extension with crit, well-formed or not: %s',
    (json) => {
      expect(acceptedJwsHeader(parsed(json))).toBeNull();
    },
  );

  it('has a crit of any kind, on an otherwise good header', () => {
    fc.assert(
      fc.property(extras, fc.jsonValue(), (rest, crit) => {
        expect(acceptedJwsHeader({ ...rest, alg: 'EdDSA', kid: 'k1', crit })).toBeNull();
      }),
    );
  });
});
