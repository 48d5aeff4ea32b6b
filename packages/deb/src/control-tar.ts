// Finds the control file in a decompressed control.tar the way dpkg-deb does: dpkg-deb extracts
// control.tar with GNU tar into a directory and reads `control` from it, so `./control`,
// `control` and `.//control` all name that one file and the last of them wins. An archive naming
// it more than once would be indexed under one stanza while dpkg installs the other, so it is
// refused, as is a control that is not a plain file (a link would point elsewhere).
import { corrupt } from './errors';
import { extractionPath, TarWalker } from './tar-walker';

/** The control file's bytes from the (decompressed) control.tar `tarBytes`. */
export function readControlFromTar(tarBytes: Uint8Array, maxControlBytes: number, label: string): Uint8Array {
  let control: Uint8Array[] | undefined;
  let controlSize = 0;
  const walker = new TarWalker(label, (entry) => {
    const path = extractionPath(entry.path);
    if (path === undefined) {
      throw corrupt(`${label} has a member name with "..", which dpkg-deb would not extract as named.`);
    }
    if (path.startsWith('control/')) throw corrupt(`${label} holds a directory named control.`);
    if (path !== 'control') return undefined;
    if (control !== undefined) {
      throw corrupt(
        `${label} holds the control file more than once, so the package's metadata is ambiguous.`,
      );
    }
    // GNU tar extracts a "file" whose name ends in "/" as a directory (old tar convention).
    if (entry.kind !== 'file' || entry.path.endsWith('/')) {
      throw corrupt(`${label} has a control entry that is not a regular file.`);
    }
    if (entry.size > maxControlBytes) {
      throw corrupt(`The control file is larger than the ${maxControlBytes}-byte limit.`);
    }
    const parts: Uint8Array[] = [];
    control = parts;
    controlSize = entry.size;
    return (bytes) => parts.push(bytes.slice());
  });
  walker.push(tarBytes);
  walker.end();
  if (control === undefined) throw corrupt(`${label} has no control file.`);
  return Buffer.concat(control, controlSize);
}
