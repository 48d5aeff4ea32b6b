// Reads and validates Pallet's configuration once, from environment variables, into a typed object.
// Nothing else in the code base reads process.env (house style).
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/** Which peers may tell us the client's address in X-Forwarded-For (PALLET_TRUST_PROXY). */
export type TrustProxy =
  | { kind: 'none' }
  /** this many proxies stand in front: the client is the address the outermost one appended */
  | { kind: 'hops'; hops: number }
  /** peers inside these networks are proxies; the client is the first address from the right outside them */
  | { kind: 'cidrs'; cidrs: string[] };

/** `limit` attempts per `windowSeconds`. */
export interface RateLimitSetting {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitSettings {
  /** failed sign-ins for one account from one source before that pair waits, growing delays */
  signInFailuresPerAccountSource: RateLimitSetting;
  /** failed sign-ins for one account from all sources before unknown sources get no free attempts */
  signInFailuresPerAccount: RateLimitSetting;
  /** failed sign-ins from one source over all accounts before that source waits, growing delays */
  signInFailuresPerSource: RateLimitSetting;
  /** sign-up attempts from one source */
  signUpsPerSource: RateLimitSetting;
  /** sign-up attempts for one email address */
  signUpsPerEmail: RateLimitSetting;
  /** unknown, revoked or expired API tokens presented from one source before those answers become 429 */
  tokenFailuresPerSource: RateLimitSetting;
  /** the longest a throttled sign-in must wait (the wait doubles from 1 s per further failure) */
  signInMaxDelaySeconds: number;
}

export interface Config {
  port: number;
  appUrl: string;
  dlUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** key prefix for every BullMQ queue, so that two instances (or test runs) share one Redis */
  redisPrefix: string;
  storage: string;
  s3: {
    endpoint?: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    forcePathStyle: boolean;
    /** Multipart part size in bytes (PALLET_S3_PART_BYTES) */
    partSize: number;
    /** Parts uploaded at once (PALLET_S3_UPLOAD_QUEUE) */
    uploadQueueSize: number;
  };
  /** 32 bytes that seal every signing key */
  masterKey: Uint8Array;
  masterKeySource: 'env' | 'dev-file';
  /** the master key before a rotation (PALLET_PREVIOUS_MASTER_KEY): still opens data keys until `keys rewrap` ran */
  previousMasterKey?: Uint8Array;
  /** AWS KMS wraps new data keys when set (PALLET_KMS_KEY_ID); the endpoint points at a KMS-compatible service */
  kms?: { keyId: string; endpoint?: string; region: string };
  /** seconds in one "day" of a distribution's validDays; 86400 except in tests (PALLET_VALID_UNTIL_UNIT_SECONDS) */
  validUntilUnitSeconds: number;
  /** how often the worker looks for keys near expiry and Release files near their Valid-Until */
  keyCheckIntervalMs: number;
  signup: 'open' | 'closed';
  maxUploadBytes: number;
  /** a .deb's data.tar may decompress to max(floorBytes, maxRatio × its compressed size) */
  debDataBomb: { floorBytes: number; maxRatio: number };
  /** largest JSON (and sign-in form) body read before answering 413; checked before and while reading */
  maxJsonBytes: number;
  /** how much of a refused JSON body is read and dropped (so the 413 arrives) before the stream is cancelled */
  jsonDrainMaxBytes: number;
  /** the rest of a refused upload is read and dropped (so the answer arrives) within these bounds */
  uploadDiscard: {
    /** the longest a refusal waits for the rest of the body before answering anyway */
    replyAfterMs: number;
    /** bytes and time spent dropping, after which the connection is closed instead */
    maxBytes: number;
    maxMs: number;
    /** time an answer gets to leave before a connection with unread bytes is closed */
    closeGraceMs: number;
  };
  authSecret: string;
  /** optional sign-in providers for the dashboard, each switched on by its environment variables */
  oauth: {
    github?: { clientId: string; clientSecret: string };
    oidc?: { issuer: string; clientId: string; clientSecret: string; name: string };
  };
  logLevel: string;
  /** the pause in uploads the worker waits for before publishing a distribution (the shortest debounce) */
  publishDebounceMs: number;
  /** longest a change waits for its publication while more changes to the distribution keep arriving */
  publishMaxDelayMs: number;
  /** how long superseded by-hash / checksum-named files stay served (longer than any CDN TTL) */
  retainSupersededMs: number;
  /** garbage collection (core/gc): when it runs, and the safety margins it keeps */
  gc: {
    /** the worker's schedule; 0 = no scheduled run (`npm run gc` still works) */
    intervalMs: number;
    /** an unreferenced Blob is removed only once it was last found or created this long ago */
    blobGraceMs: number;
    /** crashed-write leftovers (temporary files, objects without a row) older than this are removed */
    tempAgeMs: number;
  };
  /** optional Valid-Until horizon for Release files, in seconds; 0 = no Valid-Until */
  releaseValidSeconds: number;
  /** also publish Packages.xz (slow for large distributions; gzip is always published) */
  debXz: boolean;
  /** publish `<org>-<repo>-archive-keyring` (.deb and .rpm) in every distribution, rebuilt when keys change */
  keyringPackages: boolean;
  trustProxy: TrustProxy;
  rateLimits: RateLimitSettings;
  production: boolean;
  dataDir: string;
  /** the transparency log's origin and note key name (C2SP: a schema-less URL, no spaces or '+') */
  logName: string;
  /** verifier keys of other logs this instance witnesses (cosigns) */
  witnessLogs: string[];
  /** address the web server binds (all interfaces when unset) */
  listenHost?: string;
  /** memory the origin server may hold small repository files in (bytes) */
  serveMemoryBytes: number;
  /**
   * hash large uploads' MD5 and SHA-512 on a worker thread (PALLET_DIGEST_THREAD; `auto`, the default: on
   * filesystem storage, off on S3, where the network bounds an upload and the thread's isolate and ring
   * would only add to the web process's memory)
   */
  digestThread: boolean;
  /** the shipped edge's directory (`npm run edge`): its TLS certificate state is read from there */
  edgeDir: string;
  /** optional CDN purge after each publication switch, with the changed canonical paths */
  purge: {
    /** generic webhook: POST JSON, HMAC-SHA256 signed with webhookSecret */
    webhookUrl?: string;
    webhookSecret?: string;
    /** CloudFront distribution to invalidate (credentials from the AWS SDK's default chain) */
    cloudfrontDistributionId?: string;
    timeoutMs: number;
  };
  /** OSV advisory sources (zip files, directories or URLs of zips) the worker imports on a schedule */
  osvSources: string[];
  /** how often the worker imports osvSources, in milliseconds */
  osvImportIntervalMs: number;
  /** CI OIDC exchange: accept http:// issuers and JWKS URLs (tests only; https otherwise) */
  oidcAllowHttpIssuers: boolean;
  /** bearer token /metrics requires when set */
  metricsToken?: string;
  /** org webhooks (docs/webhooks.md) */
  webhooks: {
    /** deliver to private, loopback, link-local and metadata addresses too (PALLET_WEBHOOK_ALLOW_PRIVATE) */
    allowPrivate: boolean;
    /** delivery attempts per event before it is marked failed, and the first retry's delay (doubling) */
    attempts: number;
    retryBaseMs: number;
    timeoutMs: number;
  };
  /** how often the web servers write download counts and token access logs (docs/statistics.md) */
  statsFlushMs: number;
  /** token access log retention and the leaked-token rule (docs/access-monitoring.md) */
  access: {
    retentionDays: number;
    windowMinutes: number;
    historyDays: number;
    minAddresses: number;
    addressFactor: number;
    minRequests: number;
    requestFactor: number;
    cooldownHours: number;
  };
}

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url().optional(),
  DL_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).default('postgresql://postgres@127.0.0.1:5432/pallet'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  PALLET_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default('pallet'),
  PALLET_DATA_DIR: z.string().optional(),
  PALLET_STORAGE: z.string().optional(),
  PALLET_S3_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  PALLET_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  // S3 multipart uploads hold about (queue + 1) parts in memory: 8 MiB × 3 by default; 5 MiB is S3's minimum.
  PALLET_S3_PART_BYTES: z.coerce
    .number()
    .int()
    .min(5 * 1024 * 1024)
    .max(5 * 1024 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  PALLET_S3_UPLOAD_QUEUE: z.coerce.number().int().min(1).max(16).default(2),
  PALLET_MASTER_KEY: z.string().optional(),
  PALLET_PREVIOUS_MASTER_KEY: z.string().optional(),
  PALLET_KMS_KEY_ID: z.string().min(1).optional(),
  PALLET_KMS_ENDPOINT: z.url().optional(),
  PALLET_VALID_UNTIL_UNIT_SECONDS: z.coerce.number().int().positive().default(86_400),
  PALLET_KEY_CHECK_INTERVAL: z.string().default('1h').transform(durationSeconds),
  PALLET_SIGNUP: z.enum(['open', 'closed']).default('open'),
  PALLET_OIDC_ALLOW_HTTP_ISSUERS: z.enum(['0', '1']).default('0'),
  PALLET_METRICS_TOKEN: z.string().min(16).optional(),
  PALLET_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  PALLET_DEB_DATA_BOMB_FLOOR_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024 ** 2),
  PALLET_DEB_DATA_MAX_RATIO: z.coerce.number().positive().default(200),
  PALLET_MAX_JSON_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 2),
  PALLET_JSON_DRAIN_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024 ** 2),
  PALLET_UPLOAD_DISCARD_REPLY_AFTER_MS: z.coerce.number().int().min(0).default(500),
  PALLET_UPLOAD_DISCARD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 ** 2),
  PALLET_UPLOAD_DISCARD_MAX_MS: z.coerce.number().int().min(0).default(10_000),
  PALLET_UPLOAD_DISCARD_CLOSE_GRACE_MS: z.coerce.number().int().min(0).default(1000),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  PALLET_GITHUB_CLIENT_ID: z.string().min(1).optional(),
  PALLET_GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  PALLET_OIDC_ISSUER: z.url().optional(),
  PALLET_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PALLET_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  PALLET_OIDC_NAME: z.string().min(1).max(50).default('Single sign-on'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  PALLET_PUBLISH_DEBOUNCE_MS: z.coerce.number().int().min(0).default(150),
  PALLET_PUBLISH_MAX_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  PALLET_RETAIN_SUPERSEDED_HOURS: z.coerce.number().min(0).default(72),
  PALLET_GC_INTERVAL_MINUTES: z.coerce.number().min(0).default(360),
  PALLET_GC_GRACE_MINUTES: z.coerce.number().min(0).default(60),
  PALLET_GC_TEMP_AGE_HOURS: z.coerce.number().min(0).default(24),
  PALLET_RELEASE_VALID_DAYS: z.coerce.number().min(0).default(0),
  PALLET_DEB_XZ: z.enum(['true', 'false']).default('false'),
  PALLET_KEYRING_PACKAGES: z.enum(['on', 'off']).default('on'),
  PALLET_LOG_NAME: z
    .string()
    .regex(/^[^\s+]+$/, 'no spaces or "+"')
    .optional(),
  PALLET_WITNESS_LOGS: z.string().default(''),
  PALLET_TRUST_PROXY: z.string().default('off').transform(parseTrustProxy),
  PALLET_LIMIT_SIGNIN_ACCOUNT_SOURCE: rateLimitEnv('5/15m'),
  PALLET_LIMIT_SIGNIN_ACCOUNT: rateLimitEnv('20/15m'),
  PALLET_LIMIT_SIGNIN_SOURCE: rateLimitEnv('50/15m'),
  PALLET_LIMIT_SIGNUP_SOURCE: rateLimitEnv('20/1h'),
  PALLET_LIMIT_SIGNUP_EMAIL: rateLimitEnv('5/1h'),
  PALLET_LIMIT_TOKEN_FAILURES_SOURCE: rateLimitEnv('100/5m'),
  PALLET_SIGNIN_MAX_DELAY: z.string().default('15m').transform(durationSeconds),
  PALLET_SERVE_MEMORY_MB: z.coerce.number().min(0).default(64),
  // MD5 and SHA-512 of large uploads on a worker thread (faster) or on the calling thread (~15-20 MiB less RSS).
  PALLET_DIGEST_THREAD: z.enum(['on', 'off', 'auto']).default('auto'),
  PALLET_EDGE_DIR: z.string().optional(),
  PALLET_LISTEN_HOST: z.string().min(1).optional(),
  PALLET_PURGE_WEBHOOK_URL: z.url().optional(),
  PALLET_PURGE_WEBHOOK_SECRET: z.string().min(16).optional(),
  PALLET_CLOUDFRONT_DISTRIBUTION_ID: z
    .string()
    .regex(/^[A-Z0-9]+$/)
    .optional(),
  PALLET_PURGE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PALLET_OSV_SOURCES: z.string().default(''),
  PALLET_OSV_IMPORT_INTERVAL: z.string().default('6h'),
  PALLET_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  PALLET_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  PALLET_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  PALLET_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PALLET_STATS_FLUSH_MS: z.coerce.number().int().min(100).default(5000),
  PALLET_ACCESS_LOG_DAYS: z.coerce.number().int().min(1).default(30),
  PALLET_ACCESS_ALERT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  PALLET_ACCESS_ALERT_HISTORY_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  PALLET_ACCESS_ALERT_ADDRESSES: z.coerce.number().int().min(1).default(20),
  PALLET_ACCESS_ALERT_ADDRESS_FACTOR: z.coerce.number().min(1).default(4),
  PALLET_ACCESS_ALERT_REQUESTS: z.coerce.number().int().min(1).default(5000),
  PALLET_ACCESS_ALERT_REQUEST_FACTOR: z.coerce.number().min(1).default(10),
  PALLET_ACCESS_ALERT_COOLDOWN_HOURS: z.coerce.number().min(0).default(24),
});

export class ConfigError extends Error {}

/** PALLET_OSV_IMPORT_INTERVAL: a duration such as 30m or 6h, at least one minute. */
function parseOsvInterval(text: string): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  const seconds = m ? Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 1) : 0;
  if (seconds < 60)
    throw new ConfigError('PALLET_OSV_IMPORT_INTERVAL must be a duration of at least 1m (e.g. 6h).');
  return seconds;
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `15m`, `1h`, `1d` → seconds. */
function durationSeconds(text: string, ctx: z.RefinementCtx): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!m || Number(m[1]) <= 0) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 15m or 1h' });
    return z.NEVER;
  }
  return Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 1);
}

/** A limit as `<attempts>/<window>`, e.g. `5/15m`. */
function rateLimitEnv(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx): RateLimitSetting => {
      const m = /^\s*(\d+)\s*\/\s*(.+)$/.exec(text);
      if (!m || Number(m[1]) < 1) {
        ctx.addIssue({ code: 'custom', message: 'expected <attempts>/<window>, e.g. 5/15m' });
        return z.NEVER;
      }
      return { limit: Number(m[1]), windowSeconds: durationSeconds(m[2] ?? '', ctx) };
    });
}

/** `off` (default), a hop count (`1` behind one nginx), or a comma-separated list of proxy addresses/CIDRs. */
function parseTrustProxy(text: string, ctx: z.RefinementCtx): TrustProxy {
  const value = text.trim().toLowerCase();
  if (['', 'off', 'false', 'no', '0'].includes(value)) return { kind: 'none' };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  const cidrs = value.split(',').map((part) => part.trim());
  for (const cidr of cidrs) {
    const [address = '', bits, extra] = cidr.split('/');
    const version = isIP(address);
    const max = version === 4 ? 32 : 128;
    if (
      !version ||
      extra !== undefined ||
      (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `"${cidr}" is not a hop count, an IP address or a CIDR (e.g. 1, or 10.0.0.0/8,::1)`,
      });
      return z.NEVER;
    }
  }
  return { kind: 'cidrs', cidrs };
}

/** The monorepo root (where turbo.json lives), so relative defaults work from any app's cwd. */
export function findProjectRoot(start = process.cwd()): string {
  let dir = resolve(/*turbopackIgnore: true*/ start);
  for (;;) {
    if (existsSync(join(dir, 'turbo.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(/*turbopackIgnore: true*/ start);
    dir = parent;
  }
}

function parseMasterKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Uint8Array.from(Buffer.from(trimmed, 'hex'));
  const b64 = Buffer.from(trimmed, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(trimmed)) return Uint8Array.from(b64);
  throw new ConfigError('PALLET_MASTER_KEY must be 32 bytes as 64 hex characters or base64');
}

function loadDevMasterKey(dataDir: string, warn: (msg: string) => void): Uint8Array {
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Web and worker may start together: whoever writes first wins, the other reads it.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return parseMasterKey(readFileSync(file, 'utf8'));
    }
    warn(
      `PALLET_MASTER_KEY is not set: generated a development master key in ${file}. ` +
        'Set PALLET_MASTER_KEY in production and keep it out of the database and the repository.',
    );
  }
  return parseMasterKey(readFileSync(file, 'utf8'));
}

/** `host[:port][/path]/log` of the public origin: names the log by where it is served. */
function defaultLogName(appUrl: string): string {
  const url = new URL(appUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/log`;
}

/**
 * PALLET_MAX_JSON_BYTES alone, for next.config.ts (server actions' body limit), which runs before (and
 * apart from) the rest of the configuration and must not need a master key.
 */
export function loadMaxJsonBytes(env: Record<string, string | undefined> = process.env): number {
  const parsed = envSchema.shape.PALLET_MAX_JSON_BYTES.safeParse(env.PALLET_MAX_JSON_BYTES);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: PALLET_MAX_JSON_BYTES: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

let cached: Config | undefined;

/** Parses the environment once; later calls return the same object. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  warn: (msg: string) => void = (m) => console.warn(`[pallet] ${m}`),
): Config {
  if (cached && env === process.env) return cached;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const root = findProjectRoot();
  const dataDir = e.PALLET_DATA_DIR
    ? isAbsolute(e.PALLET_DATA_DIR)
      ? e.PALLET_DATA_DIR
      : resolve(root, e.PALLET_DATA_DIR)
    : join(root, 'var');
  const production = e.NODE_ENV === 'production' && env.PALLET_ALLOW_DEV_KEY !== '1';
  if (!e.PALLET_MASTER_KEY && production) {
    throw new ConfigError('PALLET_MASTER_KEY is required when NODE_ENV=production');
  }
  const masterKey = e.PALLET_MASTER_KEY
    ? parseMasterKey(e.PALLET_MASTER_KEY)
    : loadDevMasterKey(dataDir, warn);
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  let storage = e.PALLET_STORAGE ?? join(dataDir, 'storage');
  if (!storage.startsWith('s3://') && !storage.startsWith('file://') && !isAbsolute(storage)) {
    storage = resolve(root, storage);
  }
  if (e.PALLET_PURGE_WEBHOOK_URL && !e.PALLET_PURGE_WEBHOOK_SECRET) {
    throw new ConfigError(
      'PALLET_PURGE_WEBHOOK_URL needs PALLET_PURGE_WEBHOOK_SECRET (16+ characters) to sign its calls',
    );
  }
  const authSecret =
    e.NEXTAUTH_SECRET ?? createHmac('sha256', masterKey).update('pallet:nextauth-secret').digest('hex');
  const config: Config = {
    port: e.PORT,
    appUrl,
    dlUrl: (e.DL_URL ?? `${appUrl}/dl`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PALLET_REDIS_PREFIX,
    storage,
    s3: {
      endpoint: e.PALLET_S3_ENDPOINT,
      region: e.AWS_REGION,
      accessKeyId: e.AWS_ACCESS_KEY_ID,
      secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
      forcePathStyle: e.PALLET_S3_FORCE_PATH_STYLE
        ? e.PALLET_S3_FORCE_PATH_STYLE === 'true'
        : !!e.PALLET_S3_ENDPOINT,
      partSize: e.PALLET_S3_PART_BYTES,
      uploadQueueSize: e.PALLET_S3_UPLOAD_QUEUE,
    },
    masterKey,
    masterKeySource: e.PALLET_MASTER_KEY ? 'env' : 'dev-file',
    previousMasterKey: e.PALLET_PREVIOUS_MASTER_KEY
      ? parseMasterKey(e.PALLET_PREVIOUS_MASTER_KEY)
      : undefined,
    kms: e.PALLET_KMS_KEY_ID
      ? { keyId: e.PALLET_KMS_KEY_ID, endpoint: e.PALLET_KMS_ENDPOINT, region: e.AWS_REGION }
      : undefined,
    validUntilUnitSeconds: e.PALLET_VALID_UNTIL_UNIT_SECONDS,
    keyCheckIntervalMs: e.PALLET_KEY_CHECK_INTERVAL * 1000,
    signup: e.PALLET_SIGNUP,
    maxUploadBytes: e.PALLET_MAX_UPLOAD_BYTES,
    debDataBomb: { floorBytes: e.PALLET_DEB_DATA_BOMB_FLOOR_BYTES, maxRatio: e.PALLET_DEB_DATA_MAX_RATIO },
    maxJsonBytes: e.PALLET_MAX_JSON_BYTES,
    jsonDrainMaxBytes: e.PALLET_JSON_DRAIN_MAX_BYTES,
    uploadDiscard: {
      replyAfterMs: e.PALLET_UPLOAD_DISCARD_REPLY_AFTER_MS,
      maxBytes: e.PALLET_UPLOAD_DISCARD_MAX_BYTES,
      maxMs: e.PALLET_UPLOAD_DISCARD_MAX_MS,
      closeGraceMs: e.PALLET_UPLOAD_DISCARD_CLOSE_GRACE_MS,
    },
    authSecret,
    oauth: {
      github:
        e.PALLET_GITHUB_CLIENT_ID && e.PALLET_GITHUB_CLIENT_SECRET
          ? { clientId: e.PALLET_GITHUB_CLIENT_ID, clientSecret: e.PALLET_GITHUB_CLIENT_SECRET }
          : undefined,
      oidc:
        e.PALLET_OIDC_ISSUER && e.PALLET_OIDC_CLIENT_ID && e.PALLET_OIDC_CLIENT_SECRET
          ? {
              issuer: e.PALLET_OIDC_ISSUER.replace(/\/+$/, ''),
              clientId: e.PALLET_OIDC_CLIENT_ID,
              clientSecret: e.PALLET_OIDC_CLIENT_SECRET,
              name: e.PALLET_OIDC_NAME,
            }
          : undefined,
    },
    logLevel: e.LOG_LEVEL,
    publishDebounceMs: e.PALLET_PUBLISH_DEBOUNCE_MS,
    publishMaxDelayMs: e.PALLET_PUBLISH_MAX_DELAY_MS,
    retainSupersededMs: e.PALLET_RETAIN_SUPERSEDED_HOURS * 3600 * 1000,
    gc: {
      intervalMs: Math.round(e.PALLET_GC_INTERVAL_MINUTES * 60_000),
      blobGraceMs: Math.round(e.PALLET_GC_GRACE_MINUTES * 60_000),
      tempAgeMs: Math.round(e.PALLET_GC_TEMP_AGE_HOURS * 3600_000),
    },
    releaseValidSeconds: Math.round(e.PALLET_RELEASE_VALID_DAYS * 86400),
    debXz: e.PALLET_DEB_XZ === 'true',
    keyringPackages: e.PALLET_KEYRING_PACKAGES === 'on',
    trustProxy: e.PALLET_TRUST_PROXY,
    rateLimits: {
      signInFailuresPerAccountSource: e.PALLET_LIMIT_SIGNIN_ACCOUNT_SOURCE,
      signInFailuresPerAccount: e.PALLET_LIMIT_SIGNIN_ACCOUNT,
      signInFailuresPerSource: e.PALLET_LIMIT_SIGNIN_SOURCE,
      signUpsPerSource: e.PALLET_LIMIT_SIGNUP_SOURCE,
      signUpsPerEmail: e.PALLET_LIMIT_SIGNUP_EMAIL,
      tokenFailuresPerSource: e.PALLET_LIMIT_TOKEN_FAILURES_SOURCE,
      signInMaxDelaySeconds: e.PALLET_SIGNIN_MAX_DELAY,
    },
    production,
    dataDir,
    logName: e.PALLET_LOG_NAME ?? defaultLogName(appUrl),
    witnessLogs: e.PALLET_WITNESS_LOGS.split(/[\s,]+/).filter(Boolean),
    listenHost: e.PALLET_LISTEN_HOST,
    serveMemoryBytes: Math.round(e.PALLET_SERVE_MEMORY_MB * 1024 * 1024),
    digestThread:
      e.PALLET_DIGEST_THREAD === 'auto' ? !storage.startsWith('s3://') : e.PALLET_DIGEST_THREAD === 'on',
    edgeDir: e.PALLET_EDGE_DIR ? resolve(root, e.PALLET_EDGE_DIR) : join(dataDir, 'edge'),
    purge: {
      webhookUrl: e.PALLET_PURGE_WEBHOOK_URL,
      webhookSecret: e.PALLET_PURGE_WEBHOOK_SECRET,
      cloudfrontDistributionId: e.PALLET_CLOUDFRONT_DISTRIBUTION_ID,
      timeoutMs: e.PALLET_PURGE_TIMEOUT_MS,
    },
    osvSources: e.PALLET_OSV_SOURCES.split(/[\s,]+/).filter(Boolean),
    osvImportIntervalMs: parseOsvInterval(e.PALLET_OSV_IMPORT_INTERVAL) * 1000,
    oidcAllowHttpIssuers: e.PALLET_OIDC_ALLOW_HTTP_ISSUERS === '1',
    metricsToken: e.PALLET_METRICS_TOKEN,
    webhooks: {
      allowPrivate: e.PALLET_WEBHOOK_ALLOW_PRIVATE === 'true',
      attempts: e.PALLET_WEBHOOK_ATTEMPTS,
      retryBaseMs: e.PALLET_WEBHOOK_RETRY_BASE_MS,
      timeoutMs: e.PALLET_WEBHOOK_TIMEOUT_MS,
    },
    statsFlushMs: e.PALLET_STATS_FLUSH_MS,
    access: {
      retentionDays: e.PALLET_ACCESS_LOG_DAYS,
      windowMinutes: e.PALLET_ACCESS_ALERT_WINDOW_MINUTES,
      historyDays: e.PALLET_ACCESS_ALERT_HISTORY_DAYS,
      minAddresses: e.PALLET_ACCESS_ALERT_ADDRESSES,
      addressFactor: e.PALLET_ACCESS_ALERT_ADDRESS_FACTOR,
      minRequests: e.PALLET_ACCESS_ALERT_REQUESTS,
      requestFactor: e.PALLET_ACCESS_ALERT_REQUEST_FACTOR,
      cooldownHours: e.PALLET_ACCESS_ALERT_COOLDOWN_HOURS,
    },
  };
  if (env === process.env) cached = config;
  return config;
}
