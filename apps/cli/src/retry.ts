// Retries a request the server may answer better later: 429 and 5xx answers (waiting what Retry-After
// asks, within a cap) and connections that fail, with exponential backoff and jitter in between.
import type { FetchLike } from '@pallet/api-client';

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Runs `attempt` (which must build a fresh request body each time) until it succeeds or retries run out. */
export async function withRetries(attempt: () => Promise<Response>, policy: RetryPolicy): Promise<Response> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let n = 0; ; n++) {
    let res: Response | undefined;
    let failure: Error | undefined;
    try {
      res = await attempt();
    } catch (err) {
      failure = err as Error;
    }
    if (res && !retryable(res.status)) return res;
    if (n >= policy.retries) {
      if (res) return res;
      throw failure;
    }
    const asked = res ? retryAfterMs(res.headers.get('retry-after')) : undefined;
    const delayMs = Math.min(policy.maxDelayMs, asked ?? backoffMs(policy, n));
    // The body of a refused attempt is dropped so its connection can be reused.
    await res?.body?.cancel().catch(() => {});
    const reason = res ? `HTTP ${res.status}` : describeNetworkError(failure);
    policy.onRetry?.({ attempt: n + 1, delayMs, reason });
    await sleep(delayMs);
  }
}

export function describeNetworkError(err: Error | undefined): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? err?.message ?? 'network error';
}

/** A fetch for PalletClient whose JSON/form requests are retried (their bodies can be sent again). */
export function retryingFetch(policy: RetryPolicy): FetchLike {
  return (input, init) => withRetries(() => fetch(input, init), policy);
}
