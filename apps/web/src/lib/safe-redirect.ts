// Where a browser may be sent after signing in (`callbackUrl`, `next`): only a path on the app's own
// origin. Browsers read `\` as `/` and drop tabs and newlines inside URLs (WHATWG URL standard), and
// routers may percent-decode once more, so `/\evil`, `/%5Cevil`, `/%09/evil` and `/%252F/evil` would all
// leave the site. Rather than repair such input, anything that is not plainly a local path in every
// decoding falls back to a safe default. Pure: used by the sign-in and sign-up pages, their client-side
// forms and next-auth's redirect callback.

/** How many layers of percent-encoding a callback may carry; more is refused rather than unwrapped. */
const MAX_DECODINGS = 3;
const MAX_LENGTH = 2048;

function isPlainLocalPath(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  return text.startsWith('/') && !text.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(text);
}

/**
 * The same-origin path (with query and fragment) that `raw` names, or `fallback`. `raw` may be a path
 * or an absolute URL on `origin` (next-auth hands over absolute URLs); anything else is refused.
 */
export function safeCallbackPath(raw: unknown, origin: string, fallback = '/'): string {
  if (typeof raw !== 'string' || raw === '' || raw.length > MAX_LENGTH) return fallback;
  let appOrigin: string;
  try {
    appOrigin = new URL(origin).origin;
  } catch {
    return fallback;
  }
  let candidate = raw;
  if (!candidate.startsWith('/')) {
    // Only an absolute URL of exactly this origin, written plainly (no `\`, tabs or newlines).
    if (/[\\\s]/.test(candidate)) return fallback;
    let absolute: URL;
    try {
      absolute = new URL(candidate);
    } catch {
      return fallback;
    }
    if (absolute.origin !== appOrigin || absolute.username || absolute.password) return fallback;
    candidate = absolute.pathname + absolute.search + absolute.hash;
  }
  if (!isLocalInEveryDecoding(candidate)) return fallback;
  // Resolve it the way a browser will, and check the result once more (`/.//evil` resolves to `//evil`).
  const resolved = new URL(candidate, appOrigin);
  if (resolved.origin !== appOrigin) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  return isLocalInEveryDecoding(path) ? path : fallback;
}

function isLocalInEveryDecoding(text: string): boolean {
  let layer = text;
  for (let decodings = 0; ; decodings++) {
    if (!isPlainLocalPath(layer)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return false;
    }
    if (decoded === layer) return true;
    if (decodings === MAX_DECODINGS) return false;
    layer = decoded;
  }
}
