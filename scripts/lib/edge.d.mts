// Types of edge.mjs for the TypeScript callers (end-to-end tests, benchmarks).
import type { ChildProcess } from 'node:child_process';

export interface EdgeOptions {
  /** host:port of the Pallet instance (its PORT). */
  origin: string;
  /** EDGE_PORT, or host:port. */
  listen: string;
  /** Prefix for the rendered configuration, pid, logs, temp files and caches. */
  dir: string;
  ttlRelease?: string;
  ttlIndex?: string;
  ttlImmutable?: string;
  authTtl?: string;
  cacheMaxSize?: string;
  workers?: string | number;
  accessLog?: boolean;
  /** EDGE_TLS_PORT (or host:port): serve https there; plain http then only redirects. */
  tlsListen?: string;
}

export interface CertificateState {
  source: 'local-ca' | 'acme';
  subjectAltName: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  renewedAt: string;
  renewals: number;
}

export interface RunningEdge {
  child: ChildProcess;
  url: string;
  /** https://<first hostname>:<tls port>, or null without TLS. */
  httpsUrl: string | null;
  exited: Promise<unknown>;
  /** Graceful reload (SIGHUP): new configuration and certificate, requests in flight finish. */
  reload(): Promise<void>;
  /** Renews the certificate when due (or when forced) and reloads; the new state, or null. */
  renew(force?: boolean): Promise<CertificateState | null>;
  /** Fetches the orgs' client CAs from the origin; reloads when they changed. True when reloaded. */
  syncClientCas(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface TlsStartOptions {
  /** Names (and IP addresses) the certificate covers; the first one is used in httpsUrl. */
  hostnames?: string[];
  /** PALLET_ACME_DIRECTORY: an ACME directory URL; without it a local CA issues the certificate. */
  acmeDirectory?: string;
  acmeEmail?: string;
  /** A CA bundle to trust for the ACME directory's own https (staging or test CAs). */
  acmeCaFile?: string;
  /** How often the certificate's remaining lifetime is checked (default 12 h). */
  renewCheckMs?: number;
  /** How often the orgs' client CAs are fetched from the origin (default 30 s; 0: never). */
  clientCaPollMs?: number;
}

export const EDGE_PACKAGES: string[];
export const EDGE_DEFAULTS: Required<
  Pick<EdgeOptions, 'ttlRelease' | 'ttlIndex' | 'ttlImmutable' | 'authTtl' | 'cacheMaxSize' | 'workers'>
>;
export function renderEdgeConfig(opts: EdgeOptions): string;
export function startEdge(
  opts: EdgeOptions & TlsStartOptions & { fresh?: boolean; stdio?: 'inherit' | 'ignore' },
): Promise<RunningEdge>;
