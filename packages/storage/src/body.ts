// Puts accept a stream, bytes or a string; drivers see either a stream or a Buffer.
import { Readable } from 'node:stream';
import type { StorageBody } from './storage';

export function toBuffer(body: Uint8Array | string): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function toReadable(body: StorageBody): Readable {
  if (body instanceof Readable) return body;
  return Readable.from([toBuffer(body)]);
}
