// Typed client of the api-v1 contract, used by the CLI and the end-to-end tests.
import { basename } from 'node:path';
import { postMultipartFile } from './multipart-upload';

export { type MultipartFileUpload, postMultipartFile } from './multipart-upload';

/** The text fields of a package upload (POST …/packages), as the contract spells them. */
export interface UploadFields {
  distribution: string;
  component?: string;
  overwrite?: boolean;
}

export function uploadFormFields(fields: UploadFields): Record<string, string> {
  const form: Record<string, string> = { distribution: fields.distribution };
  if (fields.component) form.component = fields.component;
  if (fields.overwrite) form.overwrite = 'true';
  return form;
}

/** The path packages are uploaded to, below the server's base URL. */
export function packageUploadPath(org: string, repo: string): string {
  return `/api/v1/orgs/${encodeURIComponent(org)}/repos/${encodeURIComponent(repo)}/packages`;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON answer of the API as data, or the contract's error body as an ApiError. */
export async function readApiResponse<T>(res: Response): Promise<{ status: number; data: T }> {
  const text = await res.text();
  let data: { error?: { code?: string; message?: string } } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError(res.status, 'invalid_response', 'the server did not answer with JSON');
  }
  if (!res.ok) {
    throw new ApiError(res.status, data?.error?.code ?? 'unknown', data?.error?.message ?? res.statusText);
  }
  return { status: res.status, data: data as T };
}

/** One signed generation of a distribution's indexes, newest first in a listing. */
export interface PublicationInfo {
  id: string;
  distribution: string;
  status: string;
  packageCount: number;
  publishedAt: string | null;
}

export interface PackageInfo {
  id: string;
  format: 'deb' | 'rpm';
  name: string;
  version: string;
  architecture: string;
  distribution: string;
  component?: string;
  sha256: string;
  size: number;
  status: 'processing' | 'published' | 'failed' | 'deleting' | 'removed';
  error?: string;
  filename: string | null;
  removedAt?: string;
  yankedAt?: string;
  copiedFrom?: string;
}

export interface RetentionInfo {
  keepVersions: number;
  maxAgeDays?: number | null;
}

export interface DistributionInfo {
  name: string;
  format: 'deb' | 'rpm';
  frozen: boolean;
  retention: RetentionInfo | null;
  validDays: number | null;
  packageCount: number;
  currentPublicationId: string | null;
}

export interface CopyTargetInfo {
  repo?: string;
  distribution: string;
  component?: string;
}

export interface PackageQuery {
  distribution: string;
  name?: string;
  version?: string;
  architecture?: string;
}

type PackageChange = { id: string; name: string; version: string; architecture: string };

export interface RestorePlanInfo {
  publicationId: string;
  distribution: string;
  add: PackageChange[];
  remove: PackageChange[];
  yanked: PackageChange[];
}

export interface SetupInfo {
  format: 'deb' | 'rpm';
  distribution: string;
  baseUrl: string;
  keyUrl: string;
  keyringUrl: string;
  keyFingerprints: string[];
  keyringPackage?: { name: string; path: string };
  apt?: { sourcesLine: string; deb822: string; keyringPath: string; authConf?: string };
  yum?: { repoFile: string };
  zypper?: { repoFile: string };
  script: string;
}

export interface LogInclusionProof {
  leafIndex: number;
  treeSize: number;
  /** base64 entry bytes */
  leaf: string;
  auditPath: string[];
}

/** The fetch the client sends with; the CLI passes one that retries 429/5xx. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface SigningKeyInfo {
  fingerprint: string;
  algorithm: string;
  bits?: number;
  status: 'active' | 'retiring' | 'retired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export class PalletClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
    private readonly send: FetchLike = (input, init) => fetch(input, init),
  ) {}

  withToken(token: string): PalletClient {
    return new PalletClient(this.baseUrl, token, this.send);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    init: RequestInit = {},
  ): Promise<{ status: number; data: T }> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: RequestInit['body'];
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await this.send(`${this.baseUrl}/api/v1${path}`, { ...init, method, headers, body: payload });
    return readApiResponse<T>(res);
  }

  /** GET of a text/plain endpoint (signed notes, keys); errors as for request(). */
  async requestText(path: string): Promise<string> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await this.send(`${this.baseUrl}/api/v1${path}`, { headers });
    const text = await res.text();
    if (!res.ok) {
      let error: { code?: string; message?: string } | undefined;
      try {
        error = JSON.parse(text)?.error;
      } catch {}
      throw new ApiError(res.status, error?.code ?? 'unknown', error?.message ?? res.statusText);
    }
    return text;
  }

  async logCheckpoint(): Promise<string> {
    return this.requestText('/log/checkpoint');
  }

  async logKey(): Promise<string> {
    return (await this.requestText('/log/key')).trim();
  }

  async logInclusionProof(sha256: string, treeSize?: number) {
    const qs = new URLSearchParams({
      sha256,
      ...(treeSize === undefined ? {} : { treeSize: String(treeSize) }),
    });
    return (await this.request<LogInclusionProof>('GET', `/log/proof?${qs}`)).data;
  }

  async logConsistencyProof(from: number, to: number) {
    return (await this.request<{ proof: string[] }>('GET', `/log/consistency?from=${from}&to=${to}`)).data;
  }

  async signup(email: string, password: string, org: string) {
    return (
      await this.request<{
        user: { id: string; email: string };
        org: { slug: string; name: string };
        token: string;
      }>('POST', '/signup', { email, password, org })
    ).data;
  }

  async createRepository(
    org: string,
    body: {
      name: string;
      visibility?: 'public' | 'private';
      description?: string;
      keyAlgorithm?: 'rsa4096' | 'ed25519';
    },
  ) {
    return (await this.request<{ slug: string; visibility: string }>('POST', `/orgs/${org}/repos`, body))
      .data;
  }

  async uploadPackage(org: string, repo: string, file: string, fields: UploadFields) {
    // Streamed by postMultipartFile (node:http), not by this client's fetch: see multipart-upload.ts.
    const res = await postMultipartFile(`${this.baseUrl}${packageUploadPath(org, repo)}`, {
      path: file,
      filename: basename(file),
      fields: uploadFormFields(fields),
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    return readApiResponse<PackageInfo>(res);
  }

  async getPackage(org: string, repo: string, id: string) {
    return (await this.request<PackageInfo>('GET', `/orgs/${org}/repos/${repo}/packages/${id}`)).data;
  }

  async deletePackage(org: string, repo: string, id: string) {
    return (await this.request<unknown>('DELETE', `/orgs/${org}/repos/${repo}/packages/${id}`)).status;
  }

  async listPackages(org: string, repo: string, query: Record<string, string> = {}) {
    const qs = new URLSearchParams(query).toString();
    return (
      await this.request<{ items: PackageInfo[]; total: number }>(
        'GET',
        `/orgs/${org}/repos/${repo}/packages${qs ? `?${qs}` : ''}`,
      )
    ).data;
  }

  async listPublications(org: string, repo: string, distribution: string) {
    return (
      await this.request<PublicationInfo[]>(
        'GET',
        `/orgs/${org}/repos/${repo}/publications?distribution=${encodeURIComponent(distribution)}`,
      )
    ).data;
  }

  async setup(org: string, repo: string, distribution: string) {
    return (
      await this.request<SetupInfo>(
        'GET',
        `/orgs/${org}/repos/${repo}/setup?distribution=${encodeURIComponent(distribution)}`,
      )
    ).data;
  }

  async listKeys(org: string, repo: string) {
    return (await this.request<SigningKeyInfo[]>('GET', `/orgs/${org}/repos/${repo}/keys`)).data;
  }

  async rotateKey(
    org: string,
    repo: string,
    body: { algorithm?: 'rsa4096' | 'ed25519'; expiresAt?: string } = {},
  ) {
    return (await this.request<SigningKeyInfo>('POST', `/orgs/${org}/repos/${repo}/keys/rotate`, body)).data;
  }

  async retireKey(org: string, repo: string, fingerprint: string) {
    return (
      await this.request<SigningKeyInfo>('POST', `/orgs/${org}/repos/${repo}/keys/${fingerprint}/retire`)
    ).data;
  }

  async revokeKey(org: string, repo: string, fingerprint: string, reason: string) {
    return (
      await this.request<SigningKeyInfo & { activeKey: SigningKeyInfo | null }>(
        'POST',
        `/orgs/${org}/repos/${repo}/keys/${fingerprint}/revoke`,
        { reason },
      )
    ).data;
  }

  async createToken(
    org: string,
    body: { name: string; scopes: string[]; repos?: string[]; expiresAt?: string; customer?: string },
  ) {
    return (await this.request<{ id: string; token: string }>('POST', `/orgs/${org}/tokens`, body)).data;
  }

  async revokeToken(org: string, id: string) {
    return (await this.request<unknown>('DELETE', `/orgs/${org}/tokens/${id}`)).status;
  }

  async listDistributions(org: string, repo: string) {
    return (await this.request<DistributionInfo[]>('GET', `/orgs/${org}/repos/${repo}/distributions`)).data;
  }

  /** Freeze/unfreeze, retention, validDays of `distro/release`. */
  async updateDistribution(
    org: string,
    repo: string,
    distribution: string,
    body: { frozen?: boolean; retention?: RetentionInfo | null; validDays?: number | null },
  ) {
    return (
      await this.request<DistributionInfo>(
        'PATCH',
        `/orgs/${org}/repos/${repo}/distributions/${distribution}`,
        body,
      )
    ).data;
  }

  async previewRetention(org: string, repo: string, distribution: string, rule?: RetentionInfo) {
    const qs = new URLSearchParams();
    if (rule) qs.set('keepVersions', String(rule.keepVersions));
    if (rule?.maxAgeDays) qs.set('maxAgeDays', String(rule.maxAgeDays));
    return (
      await this.request<{
        distribution: string;
        retention: RetentionInfo | null;
        wouldRemove: PackageInfo[];
      }>(
        'GET',
        `/orgs/${org}/repos/${repo}/distributions/${distribution}/retention-preview${qs.size ? `?${qs}` : ''}`,
      )
    ).data;
  }

  /** Copies (or moves) one package; 202 with the new package, 200 when the target already held it. */
  async copyPackage(
    org: string,
    repo: string,
    id: string,
    target: CopyTargetInfo,
    mode: 'copy' | 'move' = 'copy',
  ) {
    return this.request<PackageInfo>('POST', `/orgs/${org}/repos/${repo}/packages/${id}/${mode}`, target);
  }

  async copyPackages(
    org: string,
    repo: string,
    query: PackageQuery,
    target: CopyTargetInfo,
    mode: 'copy' | 'move' = 'copy',
  ) {
    return (
      await this.request<{ items: PackageInfo[]; skipped: (PackageChange & { reason: string })[] }>(
        'POST',
        `/orgs/${org}/repos/${repo}/packages/${mode}`,
        { query, ...target },
      )
    ).data;
  }

  async yankPackage(org: string, repo: string, id: string) {
    return (await this.request<PackageInfo>('POST', `/orgs/${org}/repos/${repo}/packages/${id}/yank`)).data;
  }

  async previewRestore(org: string, repo: string, publicationId: string) {
    return (
      await this.request<RestorePlanInfo>(
        'GET',
        `/orgs/${org}/repos/${repo}/publications/${publicationId}/restore-preview`,
      )
    ).data;
  }

  async restorePublication(org: string, repo: string, publicationId: string) {
    return this.request<{ distribution: string; generation: number; added: number; removed: number }>(
      'POST',
      `/orgs/${org}/repos/${repo}/publications/${publicationId}/restore`,
    );
  }

  /** Polls a package until it leaves `processing`. */
  async waitForPackage(org: string, repo: string, id: string, timeoutMs = 30_000): Promise<PackageInfo> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const pkg = await this.getPackage(org, repo, id);
      if (pkg.status !== 'processing') return pkg;
      if (Date.now() > until) throw new Error(`package ${id} still processing after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
