import { describe, expect, it } from 'vitest';
import { countsAsDownload } from './download-recorder';

describe('countsAsDownload', () => {
  it('counts a full GET and the first range of a file, once', () => {
    expect(countsAsDownload('GET', 200, undefined)).toBe(true);
    expect(countsAsDownload('GET', 206, 'bytes=0-1023')).toBe(true);
    expect(countsAsDownload('GET', 206, 'bytes=0-')).toBe(true);
  });

  it('does not count HEAD, revalidations, continuations, suffix ranges or failures', () => {
    expect(countsAsDownload('HEAD', 200, undefined)).toBe(false);
    expect(countsAsDownload('GET', 304, undefined)).toBe(false);
    expect(countsAsDownload('GET', 206, 'bytes=1024-')).toBe(false);
    expect(countsAsDownload('GET', 206, 'bytes=-500')).toBe(false);
    expect(countsAsDownload('GET', 416, 'bytes=99999-')).toBe(false);
    expect(countsAsDownload('GET', 404, undefined)).toBe(false);
  });
});
