// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys from node:crypto: the note text, a
// blank line, then one `— <key name> <base64(key hash || signature)>` line per signature. Written by
// hand because the format is a few lines of text and no maintained JavaScript library implements it.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** Signature type bytes of the C2SP signed-note registry. */
export const SIG_TYPE_ED25519 = 0x01;

const DASH = '\u2014 ';
const MAX_NOTE_BYTES = 1 << 20;
const MAX_SIGNATURES = 100;

export class NoteError extends Error {
  override readonly name = 'NoteError';
}

export interface NoteSignature {
  name: string;
  keyHash: number;
  /** the base64 payload after the 4-byte key hash */
  signature: Uint8Array;
}

export interface NoteVerifier {
  name: string;
  keyHash: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSigner {
  name: string;
  keyHash: number;
  sign(text: Uint8Array): Uint8Array;
}

/** Key names are non-empty and contain neither Unicode spaces nor '+'. */
export function assertKeyName(name: string): void {
  if (!name || /[\s+]/u.test(name))
    throw new NoteError('A note key name must be non-empty, without spaces or "+"');
}

/** SHA-256(name || 0x0A || type || public key)[:4] as a big-endian uint32. */
export function computeKeyHash(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Uint8Array.of(0x0a, type))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** `<name>+<hex key hash>+<base64(0x01 || public key)>` for a raw 32-byte Ed25519 public key. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  assertKeyName(name);
  const hash = computeKeyHash(name, SIG_TYPE_ED25519, publicKey);
  const encoded = Buffer.concat([Uint8Array.of(SIG_TYPE_ED25519), publicKey]).toString('base64');
  return `${name}+${hex8(hash)}+${encoded}`;
}

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteError('An Ed25519 public key has 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

/** Parses a verifier key string; only Ed25519 (type 0x01) keys are accepted. */
export function parseVerifierKey(vkey: string): NoteVerifier & { publicKey: Uint8Array } {
  // The base64 key may itself contain '+'; the name and the key hash cannot.
  const m = /^([^+]+)\+([^+]*)\+(.+)$/.exec(vkey.trim());
  if (!m) throw new NoteError('A verifier key is <name>+<hex key hash>+<base64 key>');
  const [, name, hashHex, keyB64] = m as unknown as [string, string, string, string];
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(hashHex)) throw new NoteError('The verifier key hash must be 8 hex digits');
  if (!/^[A-Za-z0-9+/]+=*$/.test(keyB64)) throw new NoteError('The verifier key is not base64');
  const bytes = Buffer.from(keyB64, 'base64');
  if (bytes[0] !== SIG_TYPE_ED25519 || bytes.length !== 33)
    throw new NoteError('Only Ed25519 verifier keys (type 0x01, 32 bytes) are supported');
  const publicKey = new Uint8Array(bytes.subarray(1));
  const keyHash = computeKeyHash(name, SIG_TYPE_ED25519, publicKey);
  if (hex8(keyHash) !== hashHex) throw new NoteError('The verifier key hash does not match its key');
  const key = ed25519PublicKey(publicKey);
  return {
    name,
    keyHash,
    publicKey,
    verify: (text, signature) => signature.length === 64 && verify(null, text, key, signature),
  };
}

/** A signer from a PKCS#8 PEM Ed25519 private key. */
export function createNoteSigner(
  name: string,
  privateKeyPem: string,
): NoteSigner & { publicKey: Uint8Array } {
  assertKeyName(name);
  const priv = createPrivateKey(privateKeyPem);
  if (priv.asymmetricKeyType !== 'ed25519') throw new NoteError('The note key must be Ed25519');
  const publicKey = rawEd25519PublicKey(createPublicKey(priv));
  return {
    name,
    keyHash: computeKeyHash(name, SIG_TYPE_ED25519, publicKey),
    publicKey,
    sign: (text) => new Uint8Array(sign(null, text, priv)),
  };
}

export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new NoteError('Not an Ed25519 key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

/** The note text rules: non-empty UTF-8 ending in a newline, no other control characters. */
function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('Note text must end with a newline');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) throw new NoteError('Note text has control characters');
  }
  if (text.includes('\n\n')) throw new NoteError('Note text must not contain blank lines');
}

export function formatSignatureLine(
  signer: { name: string; keyHash: number },
  signature: Uint8Array,
): string {
  const payload = Buffer.alloc(4 + signature.length);
  payload.writeUInt32BE(signer.keyHash >>> 0, 0);
  payload.set(signature, 4);
  return `${DASH}${signer.name} ${payload.toString('base64')}\n`;
}

/** Signs `text` with every signer: the note as served. */
export function signNote(text: string, signers: NoteSigner[]): string {
  assertNoteText(text);
  const bytes = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => formatSignatureLine(s, s.sign(bytes)));
  return `${text}\n${lines.join('')}`;
}

/** Splits a signed note into its text and signature lines without verifying anything. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteError('Note is too large');
  if (!note.endsWith('\n')) throw new NoteError('Note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('Note has no signatures');
  const text = note.slice(0, split + 1);
  assertNoteText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('Note has too many signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith(DASH)) throw new NoteError('Malformed signature line');
    const rest = line.slice(DASH.length);
    const space = rest.lastIndexOf(' ');
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (space <= 0 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) throw new NoteError('Malformed signature line');
    assertKeyName(name);
    const payload = Buffer.from(b64, 'base64');
    if (payload.length < 5) throw new NoteError('Signature is too short');
    return { name, keyHash: payload.readUInt32BE(0), signature: new Uint8Array(payload.subarray(4)) };
  });
  return { text, signatures };
}

/**
 * Opens a note: at least one signature must come from a known verifier, and a signature that claims a
 * known key but does not verify rejects the whole note. Signatures of unknown keys are ignored.
 */
export function openNote(note: string, verifiers: NoteVerifier[]): { text: string; verifiedBy: string[] } {
  const { text, signatures } = parseNote(note);
  const bytes = Buffer.from(text, 'utf8');
  const verifiedBy: string[] = [];
  for (const sig of signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyHash === sig.keyHash);
    if (!v) continue;
    if (!v.verify(bytes, sig.signature)) throw new NoteError(`Invalid signature by ${sig.name}`);
    if (!verifiedBy.includes(v.name)) verifiedBy.push(v.name);
  }
  if (verifiedBy.length === 0) throw new NoteError('Note is not signed by a known key');
  return { text, verifiedBy };
}
