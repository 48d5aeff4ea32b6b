// In-memory state behind /dl and /_pallet/edge-auth, so a warm request costs no database round trip:
// repositories by slug, each distribution's current publication file map, pool and retained
// (superseded, immutable) files found so far, signing keys, and token checks keyed by the token's SHA-256.
// Invalidation comes from `NOTIFY pallet_serving` (database triggers, see the serving_notifications
// migration) through `invalidate`; while the notification connection is down (`setLive(false)`) nothing
// is cached, and every entry also expires after a short TTL as a safety net.

import type { Repository } from '@pallet/db';
import type { Actor } from '../auth/actor';
import type { PackageFileRef } from './download-recorder';

export interface ServedFile {
  storageKey: string;
  size: number;
  contentType: string;
  immutable: boolean;
  sha256: string;
  lastModified: Date;
  /** for a file kept from a superseded publication: when its retention ends (ms since epoch) */
  retainedUntil?: number;
  /** set for a package file (what the download statistics count) */
  package?: PackageFileRef;
}

export interface InlineFile {
  body: Uint8Array;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** Everything cached for one repository; replaced wholesale when anything in the repository changes. */
export interface RepositoryFiles {
  readonly createdAt: number;
  /** `DEB:debian/bookworm` → path within the distribution → file; null: no such distribution */
  dists: Map<string, Promise<Map<string, ServedFile> | null>>;
  /** pool and retained lookups that found a file: `DEB:debian:pool/...` → file */
  found: Map<string, ServedFile>;
  keys: Map<string, Promise<InlineFile | null>>;
}

interface Timed<T> {
  value: T;
  at: number;
}

const MAX_ENTRIES = 10_000;

export class DownloadCache {
  private live = false;
  private repos = new Map<string, Timed<Promise<Repository | null>>>();
  private files = new Map<string, RepositoryFiles>();
  private tokens = new Map<string, Timed<{ actor: Actor; expiresAt: number | null }>>();
  /** bumped by every token invalidation, so a check that raced with one is not remembered */
  private tokenEpoch = 0;
  /** bumped by every invalidation of any kind (see generation()) */
  private changes = 0;

  constructor(readonly ttlMs = 30_000) {}

  /** Whether notifications are flowing; caching only happens while they are. */
  setLive(live: boolean): void {
    this.live = live;
    this.clear();
  }

  isLive(): boolean {
    return this.live;
  }

  /**
   * Moves on with every change this cache hears of (any notification, clear, liveness change). An answer
   * derived from cached state while the generation stayed the same is as current as that state, so
   * callers may keep derived answers (the front's answer cache) keyed by it.
   */
  generation(): number {
    return this.changes;
  }

  clear(): void {
    this.changes++;
    this.repos.clear();
    this.files.clear();
    this.tokens.clear();
    this.tokenEpoch++;
  }

  /** Applies one `pallet_serving` notification payload. */
  invalidate(payload: string): void {
    this.changes++;
    if (payload === 'repos') {
      this.repos.clear();
      this.files.clear();
    } else if (payload === 'tokens') {
      this.tokens.clear();
      this.tokenEpoch++;
    } else if (payload.startsWith('repo:')) {
      this.files.delete(payload.slice(5));
    } else if (payload.startsWith('token:')) {
      this.tokens.delete(payload.slice(6));
      this.tokenEpoch++;
    } else {
      this.clear();
    }
  }

  private fresh(at: number): boolean {
    return this.live && Date.now() - at < this.ttlMs;
  }

  repository(key: string, load: () => Promise<Repository | null>): Promise<Repository | null> {
    const hit = this.repos.get(key);
    if (hit && this.fresh(hit.at)) return hit.value;
    const value = load();
    if (this.live) {
      if (this.repos.size >= MAX_ENTRIES) this.repos.clear();
      const entry = { value, at: Date.now() };
      this.repos.set(key, entry);
      // A failed load must not be remembered.
      value.catch(() => this.repos.get(key) === entry && this.repos.delete(key));
    }
    return value;
  }

  /** The repository's file state: cached while live and fresh, otherwise a throwaway one. */
  repositoryFiles(repositoryId: string): RepositoryFiles {
    const hit = this.files.get(repositoryId);
    if (hit && this.fresh(hit.createdAt)) return hit;
    const files: RepositoryFiles = {
      createdAt: Date.now(),
      dists: new Map(),
      found: new Map(),
      keys: new Map(),
    };
    if (this.live) this.files.set(repositoryId, files);
    return files;
  }

  token(hash: string): Actor | null {
    const hit = this.tokens.get(hash);
    if (!hit || !this.fresh(hit.at)) return null;
    if (hit.value.expiresAt !== null && hit.value.expiresAt <= Date.now()) {
      this.tokens.delete(hash);
      return null;
    }
    return hit.value.actor;
  }

  /** Call before checking a token in the database; pass the result to rememberToken. */
  tokenCheckStarted(): number {
    return this.tokenEpoch;
  }

  rememberToken(hash: string, actor: Actor, expiresAt: Date | null, startedAt: number): void {
    if (!this.live || startedAt !== this.tokenEpoch) return;
    if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear();
    this.tokens.set(hash, { value: { actor, expiresAt: expiresAt?.getTime() ?? null }, at: Date.now() });
  }
}

/** Remembers a lookup result in a per-repository map, bounded so that probing cannot grow it without end. */
export function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
}
