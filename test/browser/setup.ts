import { afterEach, expect } from 'vitest';
import { cspViolations } from './browser.js';

// The portal must work under the Content-Security-Policy it ships with: any refusal fails the test that caused it.
afterEach(() => {
  const seen = cspViolations.splice(0);
  expect(seen).toEqual([]);
});
