// openpgp.js is loaded on first use rather than when this package is imported: it costs ~15 MiB of
// memory, and a process that imports Pallet's core but never signs nor reads a key (the web front, which
// serves files and streams uploads) should not carry it.
type OpenPgp = typeof import('openpgp');

let loading: Promise<OpenPgp> | undefined;

export function loadOpenpgp(): Promise<OpenPgp> {
  loading ??= import('openpgp');
  return loading;
}
