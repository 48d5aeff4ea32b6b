// @pallet/tlog: the transparency log's pure parts — RFC 9162 Merkle trees and proofs, C2SP signed notes
// and checkpoints, and Pallet's log entry format. Imports nothing of ours; node:crypto only.
export * from './checkpoint';
export * from './cosignature';
export * from './log-entry';
export * from './merkle';
export * from './signed-note';
