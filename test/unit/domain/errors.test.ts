import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, errorStatus, invalidInput, notFound, type ErrorCode } from '../../../src/domain/errors.js';

const codes = Object.keys(errorStatus) as ErrorCode[];
const anyCode = fc.constantFrom(...codes);

describe('the error catalogue', () => {
  it('gives every code a client (4xx) or server (5xx) status', () => {
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const status = errorStatus[code];
      expect([code, Number.isInteger(status) && status >= 400 && status <= 599]).toEqual([code, true]);
    }
  });

  it('spells its codes in stable snake_case', () => {
    for (const code of codes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('blames the server only for its own faults and an identity provider it cannot reach, the ones worth trying again', () => {
    const serverFaults = codes.filter((c) => errorStatus[c] >= 500).sort();
    expect(serverFaults).toEqual(['database_unavailable', 'internal_error', 'not_ready', 'sso_provider_unreachable']);
    expect(errorStatus.sso_provider_unreachable).toBe(502);
    expect(errorStatus.internal_error).toBe(500);
    expect(errorStatus.not_ready).toBe(503);
    expect(errorStatus.database_unavailable).toBe(503);
  });

  it.each([
    ['validation_failed', 400],
    ['key_malformed', 400],
    ['file_malformed', 400],
    ['unauthenticated', 401],
    ['invalid_credentials', 401],
    ['token_invalid', 401],
    ['csrf_failed', 403],
    ['forbidden', 403],
    ['installation_blacklisted', 403],
    ['subscription_expired', 403],
    ['not_found', 404],
    ['key_not_found', 404],
    ['code_not_found', 404],
    ['email_taken', 409],
    ['quota_exhausted', 409],
    ['file_replayed', 409],
    ['code_expired', 410],
    ['code_used', 410],
    ['invitation_expired', 410],
    ['product_mismatch', 422],
    ['account_locked', 423],
    ['rate_limited', 429],
  ] as const)('answers %s with %d', (code, status) => {
    expect(errorStatus[code]).toBe(status);
    expect(new AppError(code, 'x').status).toBe(status);
  });
});

describe('an application error', () => {
  it('is an Error with its code, message, details and the status of its code', () => {
    fc.assert(
      fc.property(anyCode, fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (code, message, details) => {
        const err = new AppError(code, message, details);
        expect(err).toBeInstanceOf(Error);
        expect(err).toBeInstanceOf(AppError);
        expect(err.name).toBe('AppError');
        expect(err.code).toBe(code);
        expect(err.message).toBe(message);
        expect(err.details).toBe(details);
        expect(err.status).toBe(errorStatus[code]);
        expect(err.stack).toContain('AppError');
      }),
    );
  });

  it('has no details unless given some, and a fresh object each time', () => {
    const a = new AppError('forbidden', 'no');
    const b = new AppError('forbidden', 'no');
    expect(a.details).toEqual({});
    expect(a.details).not.toBe(b.details);
  });

  it('reads as its name and message when logged', () => {
    expect(String(new AppError('rate_limited', 'Too many requests'))).toBe('AppError: Too many requests');
  });
});

describe('not found', () => {
  it.each(['Subscription', 'License key', 'Installation'])('says that the %s was not found, with status 404', (what) => {
    const err = notFound(what);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('not_found');
    expect(err.status).toBe(404);
    expect(err.message).toBe(`${what} was not found`);
    expect(err.details).toEqual({});
  });
});

describe('invalid input', () => {
  it('is a 400 validation_failed naming the first fault, with every fault in its details', () => {
    const issues = [
      { path: 'company.phone', message: 'must be a phone number' },
      { path: 'querystring.limit', message: 'must be at most 100' },
    ];
    const err = invalidInput(issues);
    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(400);
    expect(err.message).toBe('Invalid request: company.phone: must be a phone number');
    expect(err.details).toEqual({ issues });
  });

  it('calls a fault of the whole input "input"', () => {
    expect(invalidInput([{ path: '', message: 'send either licenseKey or activationCode' }]).message).toBe('Invalid request: input: send either licenseKey or activationCode');
  });

  it('still says something when no fault is named', () => {
    const err = invalidInput([]);
    expect(err.message).toBe('Invalid request: the request is invalid');
    expect(err.details).toEqual({ issues: [] });
  });

  it('always starts with the first fault and keeps them all, in order', () => {
    const issue = fc.record({ path: fc.string(), message: fc.string() });
    fc.assert(
      fc.property(fc.array(issue, { minLength: 1, maxLength: 10 }), (issues) => {
        const err = invalidInput(issues);
        expect(err.message).toBe(`Invalid request: ${issues[0]!.path || 'input'}: ${issues[0]!.message}`);
        expect(err.details['issues']).toEqual(issues);
      }),
    );
  });
});
