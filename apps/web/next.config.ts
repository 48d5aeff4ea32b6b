// Next.js configuration: workspace packages are TypeScript sources; native and driver modules stay external.
import { loadMaxJsonBytes } from '@pallet/config';
import type { NextConfig } from 'next';
import { HSTS_HEADER, SECURITY_HEADERS } from './src/lib/security-headers';

const securityHeaders = SECURITY_HEADERS;

// next-auth (v4) reads its public URL from NEXTAUTH_URL; derive it from APP_URL as packages/config does.
const appUrl = (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
process.env.NEXTAUTH_URL ??= `${appUrl}/api/auth`;
const hsts = HSTS_HEADER;

const config: NextConfig = {
  // Parallel builds (several checkouts or test runs) can use separate output folders.
  distDir: process.env.PALLET_NEXT_DIST_DIR ?? '.next',
  reactStrictMode: true,
  // `npm test` type-checks every workspace with tsc; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  experimental: {
    // Server actions (the dashboard's forms) take bodies up to the same limit as the JSON API.
    serverActions: { bodySizeLimit: loadMaxJsonBytes() },
    // A route's code loads at its first request, not all of them at start: the Next.js child was ready
    // 1.5-2.7 s sooner on 1 s less CPU (measured to the first health answer on the 2-core machine).
    preloadEntriesOnStart: false,
  },
  transpilePackages: [
    '@pallet/config',
    '@pallet/core',
    '@pallet/db',
    '@pallet/deb',
    '@pallet/rpm',
    '@pallet/openpgp',
    '@pallet/storage',
    '@pallet/jobs',
    '@pallet/tlog',
  ],
  serverExternalPackages: [
    'argon2',
    'pg',
    '@prisma/adapter-pg',
    'bullmq',
    'ioredis',
    'pino',
    '@napi-rs/lzma',
    'lzma-native',
    'fzstd',
    'xxhash-wasm',
    'tar-stream',
    'openpgp',
    'busboy',
    'prom-client',
  ],
  async headers() {
    // HSTS whenever the request reached us over HTTPS: an https APP_URL at build time, or (decided per
    // request, since header rules are compiled at build time) a TLS-terminating proxy saying so.
    return [
      {
        source: '/:path*',
        headers: appUrl.startsWith('https://') ? [...securityHeaders, hsts] : securityHeaders,
      },
      {
        source: '/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: [hsts],
      },
    ];
  },
};

export default config;
