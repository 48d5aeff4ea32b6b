// Next.js configuration: workspace packages are TypeScript sources; native and driver modules stay external.
import type { NextConfig } from 'next';

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  {
    key: 'Content-Security-Policy',
    value:
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  },
];

const config: NextConfig = {
  // Parallel builds (several checkouts or test runs) can use separate output folders.
  distDir: process.env.PALLET_NEXT_DIST_DIR ?? '.next',
  reactStrictMode: true,
  // `npm test` type-checks every workspace with tsc; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  transpilePackages: [
    '@pallet/config',
    '@pallet/core',
    '@pallet/db',
    '@pallet/deb',
    '@pallet/rpm',
    '@pallet/openpgp',
    '@pallet/storage',
    '@pallet/jobs',
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
    'tar-stream',
    'openpgp',
    'busboy',
  ],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default config;
