// Programmatic entry for tests and embedding.
export { type RunningWorker, startWorker } from './worker';
