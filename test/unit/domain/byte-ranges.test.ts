import { describe, expect, it } from 'vitest';
import { answerDownload, contentRange, etagOf } from '../../../src/domain/byte-ranges.js';

const etag = etagOf('ab'.repeat(32));
const size = 1000;
const answer = (range?: string, more: { ifNoneMatch?: string; ifRange?: string } = {}) => answerDownload({ range, ...more }, size, etag);

describe('answerDownload: ranges', () => {
  it('serves the whole file without a range', () => {
    expect(answer()).toEqual({ status: 200 });
    expect(answer('')).toEqual({ status: 200 });
  });

  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=0-499', 0, 499],
    ['bytes=500-', 500, 999],
    ['bytes=999-999', 999, 999],
    ['bytes=900-5000', 900, 999],
    ['bytes=-1', 999, 999],
    ['bytes=-200', 800, 999],
    ['bytes=-5000', 0, 999],
    ['BYTES = 10-19', 10, 19],
  ])('serves %s as bytes %i to %i', (range, start, end) => {
    expect(answer(range)).toEqual({ status: 206, start, end });
  });

  it.each([
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=1000-1001', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=0-1,5-9', 'multiple_ranges'],
    ['bytes=5-1', 'malformed'],
    ['bytes=-', 'malformed'],
    ['bytes=a-b', 'malformed'],
    ['bytes=', 'malformed'],
    ['bytes=1.5-2', 'malformed'],
  ])('refuses %s as 416 (%s)', (range, reason) => {
    expect(answer(range)).toEqual({ status: 416, reason });
  });

  it('ignores a unit other than bytes', () => {
    expect(answer('items=0-5')).toEqual({ status: 200 });
  });

  it('cannot serve any range of an empty file', () => {
    expect(answerDownload({ range: 'bytes=0-0' }, 0, etag)).toEqual({ status: 416, reason: 'unsatisfiable' });
    expect(answerDownload({ range: 'bytes=-10' }, 0, etag)).toEqual({ status: 416, reason: 'unsatisfiable' });
  });
});

describe('answerDownload: conditions', () => {
  it('answers 304 when If-None-Match names the file, weakly or among others, or is *', () => {
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) expect(answer(undefined, { ifNoneMatch })).toEqual({ status: 304 });
    expect(answer('bytes=0-0', { ifNoneMatch: etag })).toEqual({ status: 304 });
    expect(answer(undefined, { ifNoneMatch: '"other"' })).toEqual({ status: 200 });
  });

  it('keeps the range only while If-Range names the same file, strongly', () => {
    expect(answer('bytes=0-9', { ifRange: etag })).toEqual({ status: 206, start: 0, end: 9 });
    expect(answer('bytes=0-9', { ifRange: '"changed"' })).toEqual({ status: 200 });
    expect(answer('bytes=0-9', { ifRange: `W/${etag}` })).toEqual({ status: 200 });
    expect(answer('bytes=0-9', { ifRange: 'Wed, 21 Oct 2026 07:28:00 GMT' })).toEqual({ status: 200 });
  });
});

describe('contentRange', () => {
  it('names the part sent, or the size when nothing could be', () => {
    expect(contentRange({ status: 206, start: 0, end: 0 }, size)).toBe('bytes 0-0/1000');
    expect(contentRange({ status: 416, reason: 'unsatisfiable' }, size)).toBe('bytes */1000');
    expect(contentRange({ status: 200 }, size)).toBeUndefined();
  });
});
