// Signed notes and checkpoints: interoperability with published C2SP/Go sumdb vectors, and rejection of
// altered notes, foreign keys and malformed input.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint';
import { formatLogEntry, parseLogEntry } from './log-entry';
import { EMPTY_TREE_HASH } from './merkle';
import {
  createNoteSigner,
  formatVerifierKey,
  NoteError,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
} from './signed-note';

// Published examples of the format: the C2SP signed-note / Go golang.org/x/mod/sumdb/note test notes.
const VECTORS = [
  {
    vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    note:
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
      '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
  },
  {
    vkey: 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
    note:
      'This is an example message.\n\n' +
      '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
  },
];

function newSigner(name: string) {
  const { privateKey } = generateKeyPairSync('ed25519');
  return createNoteSigner(name, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

describe('signed notes', () => {
  it('opens notes signed by other implementations of the format', () => {
    for (const v of VECTORS) {
      const opened = openNote(v.note, [parseVerifierKey(v.vkey)]);
      expect(opened.verifiedBy).toEqual([v.vkey.split('+')[0]]);
      expect(v.note.startsWith(opened.text)).toBe(true);
    }
  });

  it('signs notes that verify with the published verifier key and round-trip the key string', () => {
    const signer = newSigner('pallet.example/log');
    const vkey = formatVerifierKey(signer.name, signer.publicKey);
    expect(vkey).toMatch(/^pallet\.example\/log\+[0-9a-f]{8}\+A[Q-Za-f][A-Za-z0-9+/]{42}$/);
    const note = signNote('hello\nworld\n', [signer]);
    expect(note).toMatch(/^hello\nworld\n\n\u2014 pallet\.example\/log [A-Za-z0-9+/]+=*\n$/);
    expect(openNote(note, [parseVerifierKey(vkey)]).text).toBe('hello\nworld\n');
  });

  it('rejects an altered text, a foreign key, a bad key hash and a lying signature line', () => {
    const signer = newSigner('pallet.example/log');
    const verifier = parseVerifierKey(formatVerifierKey(signer.name, signer.publicKey));
    const note = signNote('size 5\n', [signer]);
    expect(() => openNote(note.replace('size 5', 'size 6'), [verifier])).toThrow(/Invalid signature/);
    const other = newSigner('pallet.example/log');
    expect(() => openNote(note, [parseVerifierKey(formatVerifierKey(other.name, other.publicKey))])).toThrow(
      /not signed by a known key/,
    );
    const vkey = formatVerifierKey(signer.name, signer.publicKey);
    const wrongHash = vkey.replace(
      /\+([0-9a-f]{8})\+/,
      (_, h: string) => `+${h[0] === '0' ? '1' : '0'}${h.slice(1)}+`,
    );
    expect(() => parseVerifierKey(wrongHash)).toThrow(NoteError);
    // A forged line that claims the known key must reject the note, even beside a good one.
    const forged = `${note}\u2014 pallet.example/log ${Buffer.concat([
      Buffer.from(parseNote(note).signatures[0]!.keyHash.toString(16).padStart(8, '0'), 'hex'),
      Buffer.alloc(64, 7),
    ]).toString('base64')}\n`;
    expect(() => openNote(forged, [verifier])).toThrow(/Invalid signature/);
  });

  it('ignores signatures of unknown keys (cosigners) and keeps the known one', () => {
    const log = newSigner('log.example');
    const witness = newSigner('witness.example');
    const note = signNote('text\n', [log, witness]);
    expect(openNote(note, [parseVerifierKey(formatVerifierKey(log.name, log.publicKey))]).verifiedBy).toEqual(
      ['log.example'],
    );
  });

  it('refuses malformed notes and texts', () => {
    const s = newSigner('a');
    expect(() => signNote('no newline', [s])).toThrow(NoteError);
    expect(() => signNote('a\n\nb\n', [s])).toThrow(NoteError);
    expect(() => signNote('bell\u0007\n', [s])).toThrow(NoteError);
    expect(() => parseNote('text\n')).toThrow(/no signatures/);
    expect(() => parseNote('text\n\n- a AAAAAAA=\n')).toThrow(/Malformed/);
    expect(() => parseVerifierKey('name+0000000+AQ==')).toThrow(NoteError);
    expect(() => createNoteSigner('has space', 'x')).toThrow(NoteError);
  });
});

describe('checkpoints', () => {
  it('formats and parses the three lines plus extensions', () => {
    const body = formatCheckpoint({
      origin: 'pallet.example/log',
      treeSize: 42,
      rootHash: EMPTY_TREE_HASH,
      extensions: ['x y'],
    });
    expect(body).toBe(`pallet.example/log\n42\n${Buffer.from(EMPTY_TREE_HASH).toString('base64')}\nx y\n`);
    const parsed = parseCheckpoint(body);
    expect(parsed).toMatchObject({ origin: 'pallet.example/log', treeSize: 42, extensions: ['x y'] });
    expect(Buffer.from(parsed.rootHash).equals(Buffer.from(EMPTY_TREE_HASH))).toBe(true);
  });

  it('rejects sizes and hashes that are not canonical', () => {
    const root = Buffer.from(EMPTY_TREE_HASH).toString('base64');
    for (const bad of [
      `o\n042\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n1e3\n${root}\n`,
      'o\n1\nAAAA\n',
      `o\n1\n${root}`,
      '\n1\nx\n',
    ])
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow(NoteError);
  });
});

describe('log entries', () => {
  const sha = 'ab'.repeat(32);
  it('writes names for public repositories and only a commitment for private ones', () => {
    const pub = formatLogEntry({
      sha256: sha,
      file: 'InRelease',
      format: 'deb',
      repository: 'acme/tools',
      distribution: 'debian/bookworm',
      publishedAt: new Date('2026-12-01T20:00:00.123Z'),
      keyFingerprints: ['AAAA', 'BBBB'],
    });
    expect(Buffer.from(pub).toString()).toBe(
      `pallet-log-entry v1\nsha256 ${sha}\nfile InRelease\nformat deb\nrepository acme/tools\ndistribution debian/bookworm\npublished 2026-12-01T20:00:00Z\nkey AAAA\nkey BBBB\n`,
    );
    expect(parseLogEntry(pub)).toMatchObject({
      sha256: sha,
      repository: 'acme/tools',
      keyFingerprints: ['AAAA', 'BBBB'],
    });
    const priv = formatLogEntry({
      sha256: sha,
      file: 'repomd.xml',
      format: 'rpm',
      commitment: 'cd'.repeat(32),
      publishedAt: new Date(0),
      keyFingerprints: [],
    });
    const text = Buffer.from(priv).toString();
    expect(text).not.toMatch(/repository|distribution/);
    expect(parseLogEntry(priv).commitment).toBe('cd'.repeat(32));
  });

  it('refuses entries that would be ambiguous', () => {
    const base = {
      sha256: sha,
      file: 'InRelease',
      format: 'deb' as const,
      publishedAt: new Date(0),
      keyFingerprints: [],
    };
    expect(() => formatLogEntry(base)).toThrow(/names its repository or commits/);
    expect(() => formatLogEntry({ ...base, repository: 'a b', distribution: 'd' })).toThrow(/printable/);
    expect(() =>
      formatLogEntry({ ...base, sha256: 'AB'.repeat(32), repository: 'a/b', distribution: 'd' }),
    ).toThrow();
    expect(() => parseLogEntry(new TextEncoder().encode('something else\n'))).toThrow(/Not a Pallet/);
  });
});
