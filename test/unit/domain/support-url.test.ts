import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORT_URL_MAX_LENGTH, supportUrlProblem } from '../../../src/domain/support-url.js';

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }).map((cs) => cs.join(''));
const label = chars('abcdefghijklmnopqrstuvwxyz0123456789-', 1, 12).filter((l) => !l.startsWith('-') && !l.endsWith('-'));
// A host ending in a number would be read as an IPv4 address.
const topLabel = chars('abcdefghijklmnopqrstuvwxyz', 2, 6);
const urlText = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%", 0, 20);
/** Web addresses as people write them: a host, maybe a port, a path, a query and a fragment. */
const webUrl = fc
  .tuple(fc.constantFrom('https', 'http', 'HTTPS'), fc.array(label, { maxLength: 3 }), topLabel, fc.option(fc.integer({ min: 1, max: 65_535 })), fc.array(urlText, { maxLength: 5 }), fc.option(urlText), fc.option(urlText))
  .map(([scheme, labels, top, port, path, query, fragment]) =>
    `${scheme}://${[...labels, top].join('.')}${port === null ? '' : `:${port}`}/${path.join('/')}${query === null ? '' : `?${query}`}${fragment === null ? '' : `#${fragment}`}`,
  );

const NOT_AN_ADDRESS = 'must be a full address such as https://support.example.com or mailto:help@example.com';
const WRONG_SCHEME = 'must start with https://, http:// or mailto:';

describe('a support address that is fine', () => {
  it.each([
    'https://support.example.com',
    'https://support.example.com/kb/licensing?product=ras#activation',
    'http://intranet.example/help',
    'https://[2001:db8::1]:8443/help',
    'HTTPS://SUPPORT.EXAMPLE.COM/',
    'mailto:help@example.com',
    'mailto:first.last+licenses@support.example.co.uk?subject=License%20question',
    'MAILTO:help@example.com',
  ])('%s', (url) => {
    expect(supportUrlProblem(url)).toBeNull();
  });

  it('is any web address up to the length limit', () => {
    fc.assert(
      fc.property(webUrl, (url) => {
        expect(supportUrlProblem(url)).toBeNull();
      }),
    );
  });

  it('may be exactly as long as the limit', () => {
    const base = 'https://support.example.com/';
    expect(supportUrlProblem(base + 'x'.repeat(SUPPORT_URL_MAX_LENGTH - base.length))).toBeNull();
  });
});

describe('a support address with a problem', () => {
  it('is longer than 500 characters', () => {
    expect(SUPPORT_URL_MAX_LENGTH).toBe(500);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (tail) => {
        const url = `https://support.example.com/${'x'.repeat(SUPPORT_URL_MAX_LENGTH)}${tail}`;
        expect(supportUrlProblem(url)).toBe('must be at most 500 characters');
      }),
    );
  });

  it.each(['https://example.com/a b', ' https://example.com', 'https://example.com\n', 'mailto:help@example.com\tx', 'https://example.com/\u00a0', 'java\nscript:alert(1)', ' javascript:alert(1)'])(
    'holds white space: %j',
    (url) => {
      expect(supportUrlProblem(url)).toBe('must not contain spaces');
    },
  );

  it('holds white space anywhere', () => {
    fc.assert(
      fc.property(webUrl, fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003'), fc.nat(), (url, space, at) => {
        const i = at % (url.length + 1);
        const spaced = url.slice(0, i) + space + url.slice(i);
        fc.pre(spaced.length <= SUPPORT_URL_MAX_LENGTH);
        expect(supportUrlProblem(spaced)).toBe('must not contain spaces');
      }),
    );
  });

  it.each(['', 'support.example.com', 'www.example.com/help', '/help', 'help@example.com', 'https://', 'https://:443', 'http://', '://example.com'])(
    'is not a full address: %j',
    (url) => {
      expect(supportUrlProblem(url)).toBe(NOT_AN_ADDRESS);
    },
  );

  it.each(['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'blob:https://example.com/1', 'file:///etc/passwd', 'ftp://files.example.com', 'tel:+15551234567'])(
    'could run script or is no page or mailbox: %s',
    (url) => {
      expect(supportUrlProblem(url)).toBe(WRONG_SCHEME);
    },
  );

  it('has any scheme but https, http and mailto', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9+.-]{0,15}$/), (scheme) => {
        fc.pre(!['https', 'http', 'mailto'].includes(scheme));
        expect(supportUrlProblem(`${scheme}:alert(1)`)).toBe(WRONG_SCHEME);
      }),
    );
  });

  it.each(['mailto:', 'mailto:help', 'mailto:help@example', 'mailto:@example.com', 'mailto:help@', 'mailto:a@b.example,c@d.example', 'mailto:?to=help@example.com'])(
    'names no one email address after mailto: %s',
    (url) => {
      expect(supportUrlProblem(url)).toBe('must name an email address after mailto:');
    },
  );
});
