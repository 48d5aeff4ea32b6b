// Whole /dl answers, ready to send again: for a plain GET (no range, no conditional headers, no client
// certificate) that was answered 200 from memory, the status line's headers and the bytes, keyed by the
// raw request target, the Authorization header and whether HSTS applies. A repeat request is answered
// from here without decoding the path, checking the token or resolving the file again: the per-request
// work of a busy mirror's clients (and of a CDN's misses) drops to a map lookup and the write.
//
// It is exactly as current as the state it was derived from: an answer is kept with the download
// cache's generation at the start of its resolution and is used only while that generation holds (any
// notification, clear or liveness change moves it on: a revoked token, a repository made private, a new
// publication), within the download cache's TTL, before a retained file's retention ends, while its
// token is still in the token cache (so a token's expiry applies as on the slow path), and while the
// bytes still match the disk (BlobMemoryCache's check). Download statistics and token access logs are
// recorded for every answer, cached or not.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type Actor, cachedDownloadActor, type DownloadCache, type PackageFileRef } from '@pallet/core';
import type { BlobMemoryCache } from './blob-memory-cache';

const MAX_ANSWERS = 10_000;

export interface CachedAnswer {
  generation: number;
  /** ms since epoch (Date.now()) after which the answer is not used */
  expiresAt: number;
  headers: OutgoingHttpHeaders;
  /** an inline file's bytes; null for a stored file, whose bytes come from the blob cache */
  inline: Buffer | null;
  storageKey: string | null;
  tokenId: string | null;
  package: PackageFileRef | undefined;
}

/** What a hit tells the caller to record. */
export interface AnswerHit {
  tokenId: string | null;
  package: PackageFileRef | undefined;
}

export class AnswerCache {
  private answers = new Map<string, CachedAnswer>();

  constructor(
    private readonly cache: DownloadCache,
    private readonly blobs: BlobMemoryCache,
  ) {}

  /** The key for this request, or null when its answer depends on more than the key holds. */
  keyOf(req: IncomingMessage): string | null {
    if (req.method !== 'GET') return null;
    const h = req.headers;
    if (
      h.range !== undefined ||
      h['if-none-match'] !== undefined ||
      h['if-modified-since'] !== undefined ||
      h['if-range'] !== undefined ||
      h['x-pallet-client-cert'] !== undefined
    ) {
      return null;
    }
    const auth = h.authorization;
    return `${h['x-forwarded-proto'] === 'https' ? 's' : '-'}${req.url}\n${auth ?? ''}`;
  }

  /** Answers from the cache when it can; returns what to record, or null (nothing was written). */
  serve(key: string, req: IncomingMessage, res: ServerResponse): AnswerHit | null {
    const answer = this.answers.get(key);
    if (!answer) return null;
    if (answer.generation !== this.cache.generation() || Date.now() >= answer.expiresAt) {
      this.answers.delete(key);
      return null;
    }
    if (answer.tokenId !== null) {
      const actor: Actor | null = cachedDownloadActor(this.cache, req.headers.authorization);
      if (actor?.kind !== 'token' || actor.tokenId !== answer.tokenId) {
        this.answers.delete(key);
        return null;
      }
    }
    const body = answer.inline ?? this.blobs.peek(answer.storageKey!);
    if (!body) {
      this.answers.delete(key);
      return null;
    }
    res.writeHead(200, answer.headers);
    res.end(body);
    return answer;
  }

  /** Keeps an answer just sent (see the file comment for when it is used again). */
  remember(key: string, answer: CachedAnswer): void {
    if (!this.cache.isLive() || answer.generation !== this.cache.generation()) return;
    if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
    this.answers.set(key, answer);
  }

  get size(): number {
    return this.answers.size;
  }
}
