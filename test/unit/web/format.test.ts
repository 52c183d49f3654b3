import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../../web/src/format.js';

const now = new Date('2026-03-10T12:00:00Z');
const english = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

describe('a moment relative to now', () => {
  it.each([
    [0, 'now'],
    [59, 'now'],
    [-20, 'now'],
    [60, '1 minute ago'],
    [5 * 60 + 59, '5 minutes ago'],
    [3 * 3600, '3 hours ago'],
    [86_400, 'yesterday'],
    [3 * 86_400, '3 days ago'],
    [8 * 86_400, 'last week'],
    [45 * 86_400, 'last month'],
    [400 * 86_400, 'last year'],
    [-2 * 86_400, 'in 2 days'],
  ])('%i seconds ago reads %j', (seconds, text) => {
    expect(formatRelative(ago(seconds), now, english)).toBe(text);
  });

  it("is written in the browser's language", () => {
    expect(formatRelative(ago(2 * 3600), now, new Intl.RelativeTimeFormat('de-DE', { numeric: 'auto' }))).toBe('vor 2 Stunden');
  });
});
