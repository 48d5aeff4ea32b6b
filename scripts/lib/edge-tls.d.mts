// Types of edge-tls.mjs for the TypeScript callers (end-to-end tests).
import type { CertificateState } from './edge.mjs';

export function tlsPaths(dir: string): {
  dir: string;
  caKey: string;
  caCert: string;
  publishedCa: string;
  cert: string;
  key: string;
  state: string;
  accountKey: string;
  challenges: string;
  clientCas: string;
};
export function readCertificateState(dir: string): CertificateState | null;
export function certificateDaysLeft(state: CertificateState | null, now?: number): number | null;
export function needsRenewal(dir: string, hostnames: string[], now?: number): boolean;
