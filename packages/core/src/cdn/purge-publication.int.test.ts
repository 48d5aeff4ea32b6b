// The CDN purge after a publication switch, against the real database and storage: the generic
// webhook reaches a local receiver with the changed canonical paths and a valid HMAC signature, and a
// CloudFront stand-in (a local HTTP server speaking the CreateInvalidation API) gets the same paths.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import {
  buildInvalidation,
  PURGE_SIGNATURE_HEADER,
  purgePublication,
  signPurgeBody,
} from './purge-publication';

const SECRET = 'purge hook secret for tests';
let ctx: CoreContext;
let actor: Actor;
let work: string;
let receiver: Server;
let cloudfront: Server;
const hooks: { headers: IncomingMessage['headers']; body: string }[] = [];
const invalidations: { path: string; body: string }[] = [];
let hookStatus = 200;

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function publishVersion(version: string): Promise<string> {
  const root = join(work, `hello-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: hello\nVersion: ${version}\nArchitecture: amd64\nMaintainer: T <t@example.test>\nDescription: hello\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  const bytes = readFileSync(`${root}.deb`);
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'cdn', 'tools', staged, {
    distribution: 'debian/bookworm',
  });
  await ingestPackage(ctx, pkg.id);
  const dist = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
  const result = await publishDistributionNow(ctx, dist.distributionId);
  expect(result.publicationId).toBeTruthy();
  return result.publicationId!;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-purge-int-'));
  receiver = createServer(async (req, res) => {
    hooks.push({ headers: req.headers, body: await readBody(req) });
    res.writeHead(hookStatus).end();
  });
  cloudfront = createServer(async (req, res) => {
    invalidations.push({ path: req.url ?? '', body: await readBody(req) });
    res
      .writeHead(201, { 'content-type': 'text/xml', location: 'https://cloudfront.example/I1' })
      .end(
        '<?xml version="1.0" encoding="UTF-8"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
          '<Id>I1</Id><Status>InProgress</Status><CreateTime>2026-12-01T00:00:00Z</CreateTime></Invalidation>',
      );
  });
  const hookPort = await listen(receiver);
  ctx = createCoreContext(
    loadConfig({
      ...process.env,
      PALLET_STORAGE: join(work, 'storage'),
      DL_URL: 'https://pkgs.example.test/dl',
      PALLET_PURGE_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/purge?key=query-secret`,
      PALLET_PURGE_WEBHOOK_SECRET: SECRET,
      PALLET_CLOUDFRONT_DISTRIBUTION_ID: 'E2EXAMPLE123',
    }),
  );
  await listen(cloudfront);
  const s = await signUp(ctx, { email: 'cdn@example.test', password: 'long enough password', org: 'cdn' });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'cdn', { name: 'tools', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx?.queues.close();
  receiver?.close();
  cloudfront?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('purgePublication', () => {
  const standIn = () => () =>
    new CloudFrontClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(cloudfront.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'stand-in-secret' },
    });

  it('sends the changed canonical paths to the webhook (signed) and to CloudFront', async () => {
    await publishVersion('1.0');
    const second = await publishVersion('1.1');
    const result = await purgePublication(ctx, second, { cloudfront: standIn() });

    const base = '/dl/cdn/tools/deb/debian/dists/bookworm';
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.headers[PURGE_SIGNATURE_HEADER]).toBe(signPurgeBody(hook.body, SECRET));
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({
      event: 'publication.switched',
      publicationId: second,
      repository: 'cdn/tools',
      distribution: 'debian/bookworm',
      format: 'deb',
    });
    expect(payload.paths).toContain(`${base}/InRelease`);
    expect(payload.paths).toContain(`${base}/Release`);
    expect(payload.paths).toContain(`${base}/main/binary-amd64/Packages.gz`);
    expect(payload.urls).toContain(`https://pkgs.example.test${base}/InRelease`);
    // Immutable names never need purging; an unchanged index (arm64 stays empty) is left alone.
    expect(payload.paths.some((p: string) => p.includes('/by-hash/') || p.includes('/pool/'))).toBe(false);
    expect(payload.paths).not.toContain(`${base}/main/binary-arm64/Packages`);
    expect(result.paths).toBe(payload.paths.length);

    expect(invalidations).toHaveLength(1);
    const inv = invalidations[0]!;
    expect(inv.path).toBe('/2020-05-31/distribution/E2EXAMPLE123/invalidation');
    expect(inv.body).toContain(`<CallerReference>pallet-${second}</CallerReference>`);
    expect(inv.body).toContain(`<Quantity>${payload.paths.length}</Quantity>`);
    expect(inv.body).toContain(`<Path>${base}/InRelease</Path>`);
  });

  it('fails (so the job is retried) when the webhook refuses, naming only its origin', async () => {
    const third = await publishVersion('1.2');
    hookStatus = 503;
    const err = await purgePublication(ctx, third, { cloudfront: standIn() }).catch((e: Error) => e);
    hookStatus = 200;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/answered 503/);
    expect((err as Error).message).not.toContain('query-secret');
  });

  it('falls back to one wildcard per repository format beyond CloudFront’s path limit', () => {
    const paths = Array.from({ length: 3001 }, (_, i) => `/dl/a/b/deb/debian/dists/r${i}/InRelease`);
    const input = buildInvalidation('E1', {
      publicationId: 'p1',
      repository: 'a/b',
      distribution: 'debian/bookworm',
      format: 'deb',
      paths,
      urls: [],
    });
    expect(input.InvalidationBatch?.Paths).toEqual({ Quantity: 1, Items: ['/dl/a/b/deb/*'] });
  });
});
