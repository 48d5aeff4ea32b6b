// Prometheus metrics of one process (web or worker), in one registry kept on globalThis: the web's
// Next.js child may evaluate core more than once (route bundles), and every copy must count into the
// same registry (which the child hands to the front process for /metrics). prom-client itself is a server-external package for Next.js.
import type { Storage } from '@pallet/storage';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type ProcessKind = 'web' | 'worker';

export interface PalletMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpSeconds: Histogram<'method' | 'route'>;
  uploadBytes: Counter<string>;
  uploads: Counter<'result'>;
  publicationSeconds: Histogram<'format'>;
  signingSeconds: Histogram<'kind'>;
  storageErrors: Counter<'operation'>;
  queueJobs: Gauge<'queue' | 'state'>;
}

const KEY = Symbol.for('pallet.metrics');
type Holder = { [KEY]?: PalletMetrics };

function createMetrics(kind: ProcessKind): PalletMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: kind });
  // The event-loop lag histogram samples every 100 ms instead of prom-client's 10 ms: the 10 ms timer
  // wakes an idle process 100 times a second, about 5.5 ms of CPU a second on this project's machine
  // (1 ms at 100 ms); a stall long enough to matter still shows in the max and upper percentiles.
  collectDefaultMetrics({ register: registry, prefix: 'pallet_', eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'pallet_http_requests_total',
      help: 'HTTP requests answered, by route pattern (never the raw path) and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpSeconds: new Histogram({
      name: 'pallet_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    uploadBytes: new Counter({
      name: 'pallet_upload_bytes_total',
      help: 'Package upload bytes received (refused uploads included)',
      registers,
    }),
    uploads: new Counter({
      name: 'pallet_uploads_total',
      help: 'Package uploads by result: staged (parsed and stored) or refused',
      labelNames: ['result'],
      registers,
    }),
    publicationSeconds: new Histogram({
      name: 'pallet_publication_duration_seconds',
      help: 'Time to build, sign and switch one publication of a distribution',
      labelNames: ['format'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    signingSeconds: new Histogram({
      name: 'pallet_signing_duration_seconds',
      help: 'Time of one OpenPGP signing: release (InRelease + Release.gpg), repomd, rpm (a package header)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storageErrors: new Counter({
      name: 'pallet_storage_errors_total',
      help: 'Storage operations that failed, by operation',
      labelNames: ['operation'],
      registers,
    }),
    queueJobs: new Gauge({
      name: 'pallet_queue_jobs',
      help: 'Jobs in each BullMQ queue by state, read when scraped',
      labelNames: ['queue', 'state'],
      registers,
    }),
  };
}

/** This process's metrics; the first call names the process kind (web or worker). */
export function palletMetrics(kind: ProcessKind = 'web'): PalletMetrics {
  const holder = globalThis as Holder;
  holder[KEY] ??= createMetrics(kind);
  return holder[KEY];
}

/** Times one signing operation into pallet_signing_duration_seconds. */
export async function timeSigning<T>(kind: 'release' | 'repomd' | 'rpm', sign: () => Promise<T>): Promise<T> {
  const end = palletMetrics().signingSeconds.startTimer({ kind });
  try {
    return await sign();
  } finally {
    end();
  }
}

/** The storage, counting failed operations by method (a missing key is an answer, not an error). */
export function countStorageErrors(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((err: unknown) => {
          palletMetrics().storageErrors.inc({ operation: String(prop) });
          throw err;
        });
      };
    },
  });
}
