// Finds the `control` file (`./control` or `control`) in a decompressed control.tar, using
// tar-stream, and returns its bytes; the size of the file is bounded before it is read.
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { corrupt, DebFormatError } from './errors';

function isControlEntry(name: string): boolean {
  return name.replace(/^(\.\/)+/, '') === 'control';
}

/** The control file's bytes from the (decompressed) control.tar `tarBytes`. */
export async function readControlFromTar(
  tarBytes: Uint8Array,
  maxControlBytes: number,
  label: string,
): Promise<Uint8Array> {
  const extract = tar.extract();
  let control: Uint8Array | undefined;
  try {
    const source = Readable.from([Buffer.from(tarBytes.buffer, tarBytes.byteOffset, tarBytes.byteLength)]);
    source.on('error', () => undefined);
    source.pipe(extract);
    for await (const entry of extract) {
      const { name, size, type } = entry.header;
      if (control === undefined && isControlEntry(name) && (type === 'file' || type === 'contiguous-file')) {
        if ((size ?? 0) > maxControlBytes) {
          throw corrupt(`The control file is larger than the ${maxControlBytes}-byte limit.`);
        }
        const parts: Buffer[] = [];
        for await (const part of entry) parts.push(part as Buffer);
        control = Buffer.concat(parts);
      } else {
        entry.resume();
      }
    }
  } catch (error) {
    if (error instanceof DebFormatError) throw error;
    throw corrupt(`${label} is not a valid tar archive.`);
  } finally {
    extract.destroy();
  }
  if (control === undefined) throw corrupt(`${label} has no control file.`);
  return control;
}
