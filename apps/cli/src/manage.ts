// The management commands beside push: signing keys (list, rotate, retire, revoke), distributions
// (list), vulnerability findings (with --fail-on for CI gates) and SBOMs. Each is one
// API call; --json prints the API's answer as it came.
import type { PalletClient } from '@pallet/api-client';
import { EXIT, UsageError } from './exit-codes';

export interface ManageArgs {
  client: PalletClient;
  org: string;
  repo: string;
  rest: string[];
  values: {
    json: boolean;
    algorithm?: string;
    reason?: string;
    distribution?: string;
    severity?: string;
    package?: string;
    'fail-on'?: string;
    format?: string;
  };
  out: (line: string) => void;
}

interface KeyInfo {
  fingerprint: string;
  algorithm: string;
  status: string;
  createdAt: string;
  expiresAt: string | null;
}

interface DistributionInfo {
  name: string;
  format: string;
  frozen: boolean;
  packageCount: number;
}

interface Finding {
  package: { name: string; version: string; architecture: string; distribution: string };
  advisory: { id: string; severity: string; summary: string };
  fixedVersion?: string;
}

const SEVERITY_ORDER = ['unknown', 'low', 'medium', 'high', 'critical'];

function base(a: ManageArgs): string {
  return `/orgs/${encodeURIComponent(a.org)}/repos/${encodeURIComponent(a.repo)}`;
}

function print(a: ManageArgs, data: unknown, lines: () => string[]): number {
  if (a.values.json) a.out(JSON.stringify(data, null, 2));
  else for (const line of lines()) a.out(line);
  return EXIT.ok;
}

const keyLine = (k: KeyInfo) =>
  `${k.status}\t${k.algorithm}\t${k.fingerprint}\texpires ${k.expiresAt ?? 'never'}`;

/** `pallet keys [list|rotate|retire FPR|revoke FPR --reason R] ORG/REPO` (ORG/REPO already parsed). */
export async function manageKeys(a: ManageArgs, action: string): Promise<number> {
  if (action === 'list') {
    const { data } = await a.client.request<KeyInfo[]>('GET', `${base(a)}/keys`);
    return print(a, data, () => data.map(keyLine));
  }
  if (action === 'rotate') {
    const body = a.values.algorithm ? { algorithm: a.values.algorithm } : {};
    const { data } = await a.client.request<KeyInfo>('POST', `${base(a)}/keys/rotate`, body);
    return print(a, data, () => [`rotated: new active key ${keyLine(data)}`]);
  }
  const fingerprint = a.rest[0];
  if (!fingerprint) throw new UsageError(`keys ${action} needs FINGERPRINT`);
  if (action === 'retire') {
    const { data } = await a.client.request<KeyInfo>('POST', `${base(a)}/keys/${fingerprint}/retire`, {});
    return print(a, data, () => [`retired: ${keyLine(data)}`]);
  }
  if (action === 'revoke') {
    if (!a.values.reason) throw new UsageError('keys revoke needs --reason');
    const { data } = await a.client.request<unknown>('POST', `${base(a)}/keys/${fingerprint}/revoke`, {
      reason: a.values.reason,
    });
    return print(a, data, () => [`revoked: ${fingerprint}`]);
  }
  throw new UsageError(`unknown keys action ${action}`);
}

/** `pallet distributions ORG/REPO` (freeze/unfreeze are release commands). */
export async function manageDistributions(a: ManageArgs): Promise<number> {
  const { data } = await a.client.request<DistributionInfo[]>('GET', `${base(a)}/distributions`);
  return print(a, data, () =>
    data.map((d) => `${d.name}\t${d.format}\t${d.frozen ? 'frozen' : 'open'}\t${d.packageCount} packages`),
  );
}

/** `pallet vulnerabilities ORG/REPO [--distribution D] [--severity S] [--package P] [--fail-on S]`. */
export async function listVulnerabilities(a: ManageArgs): Promise<number> {
  const failOn = a.values['fail-on'];
  if (failOn !== undefined && !SEVERITY_ORDER.includes(failOn))
    throw new UsageError(`--fail-on is one of ${SEVERITY_ORDER.join(', ')}`);
  const query = new URLSearchParams();
  if (a.values.distribution) query.set('distribution', a.values.distribution);
  if (a.values.severity) query.set('severity', a.values.severity);
  if (a.values.package) query.set('package', a.values.package);
  const qs = query.toString();
  const { data } = await a.client.request<{ items: Finding[] }>(
    'GET',
    `${base(a)}/vulnerabilities${qs ? `?${qs}` : ''}`,
  );
  print(a, data, () =>
    data.items.map(
      (f) =>
        `${f.advisory.severity}\t${f.advisory.id}\t${f.package.distribution}\t${f.package.name} ${f.package.version}` +
        `${f.fixedVersion ? `\tfixed in ${f.fixedVersion}` : ''}\t${f.advisory.summary}`,
    ),
  );
  if (failOn === undefined) return EXIT.ok;
  const threshold = SEVERITY_ORDER.indexOf(failOn);
  const blocking = data.items.filter((f) => SEVERITY_ORDER.indexOf(f.advisory.severity) >= threshold);
  return blocking.length ? EXIT.findings : EXIT.ok;
}

/** `pallet sbom ORG/REPO PUBLICATION_ID [--format cyclonedx|spdx]`: the document on stdout. */
export async function printSbom(a: ManageArgs): Promise<number> {
  const publication = a.rest[0];
  if (!publication) throw new UsageError('sbom needs PUBLICATION_ID');
  const format = a.values.format ?? 'cyclonedx';
  const { data } = await a.client.request<unknown>(
    'GET',
    `${base(a)}/publications/${encodeURIComponent(publication)}/sbom?format=${encodeURIComponent(format)}`,
  );
  a.out(JSON.stringify(data, null, 2));
  return EXIT.ok;
}
