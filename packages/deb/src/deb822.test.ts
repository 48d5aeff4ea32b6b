import { describe, expect, it } from 'vitest';
import { Deb822SyntaxError, formatDeb822Stanza, getField, parseDeb822, parseDeb822Stanza } from './deb822';

describe('parseDeb822', () => {
  it('parses several stanzas separated by blank and whitespace-only lines', () => {
    const text = '\n\nPackage: a\nVersion: 1\n\n \t\n\nPackage: b\nVersion: 2\n';
    expect(parseDeb822(text)).toEqual([
      [
        ['Package', 'a'],
        ['Version', '1'],
      ],
      [
        ['Package', 'b'],
        ['Version', '2'],
      ],
    ]);
  });

  it('keeps continuation lines with their leading space and an empty first line', () => {
    const [stanza] = parseDeb822('Description: short\n long\n .\n\tmore  \nMD5Sum:\n abc 1 x\n');
    expect(stanza).toEqual([
      ['Description', 'short\n long\n .\n\tmore'],
      ['MD5Sum', '\n abc 1 x'],
    ]);
  });

  it('trims the separator and trailing whitespace, and reads CRLF files', () => {
    expect(parseDeb822Stanza('Package:   a  \r\nVersion:1\r\n')).toEqual([
      ['Package', 'a'],
      ['Version', '1'],
    ]);
  });

  it('skips comment lines', () => {
    expect(parseDeb822Stanza('# comment\nPackage: a\n')).toEqual([['Package', 'a']]);
  });

  it('rejects a continuation line at the start, a non-field line and duplicate fields', () => {
    expect(() => parseDeb822(' orphan\n')).toThrow(Deb822SyntaxError);
    expect(() => parseDeb822('Package a\n')).toThrow(/line 1: not a "Name: value" field line/);
    expect(() => parseDeb822('Package: a\npackage: b\n')).toThrow(/line 2: duplicate field package/);
  });

  it('parseDeb822Stanza insists on exactly one stanza', () => {
    expect(() => parseDeb822Stanza('')).toThrow(/expected one stanza, found 0/);
    expect(() => parseDeb822Stanza('A: 1\n\nB: 2\n')).toThrow(/found 2/);
  });

  it('getField is case-insensitive', () => {
    expect(getField([['MD5sum', 'x']], 'md5SUM')).toBe('x');
  });
});

describe('formatDeb822Stanza', () => {
  it('round-trips what parseDeb822 reads, byte for byte', () => {
    const text = 'Package: a\nDescription: short\n long\n .\n more\nConffiles:\n /etc/a 123\nEmpty:\n';
    expect(formatDeb822Stanza(parseDeb822Stanza(text))).toBe(text);
  });

  it('refuses values that would break the stanza', () => {
    expect(() => formatDeb822Stanza([['A', 'x\n\nPackage: evil']])).toThrow(TypeError);
    expect(() => formatDeb822Stanza([['A', 'x\nPackage: evil']])).toThrow(TypeError);
    expect(() => formatDeb822Stanza([['A', 'x\n  ']])).toThrow(TypeError);
    expect(() => formatDeb822Stanza([['Bad Name', 'x']])).toThrow(TypeError);
    expect(() => formatDeb822Stanza([['A:B', 'x']])).toThrow(TypeError);
    expect(() => formatDeb822Stanza([['A', ' x']])).toThrow(TypeError);
  });
});
