// Webhook events and deliveries against the real database and a local receiver: the outbox rows a
// publication, a deletion and a failed ingestion write, and the SSRF guard with and without the
// operator's switch (a name that resolves to loopback is refused when connecting, not only literals).
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { deletePackage } from '../package/delete-package';
import { ingestPackage, markIngestFailed } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { createWebhook } from './create-webhook';
import { deliverWebhook } from './deliver-webhook';
import { verifyWebhookSignature } from './webhook-signature';

let strict: CoreContext;
let open: CoreContext;
let actor: Actor;
let work: string;
let receiver: Server;
let port: number;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];

function context(allowPrivate: boolean): CoreContext {
  return createCoreContext(
    loadConfig({
      ...process.env,
      PALLET_STORAGE: join(work, 'storage'),
      PALLET_WEBHOOK_ALLOW_PRIVATE: String(allowPrivate),
    }),
  );
}

async function upload(version: string) {
  const root = join(work, `hook-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: hook\nVersion: ${version}\nArchitecture: amd64\nMaintainer: T <t@example.test>\nDescription: hook\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  const bytes = readFileSync(`${root}.deb`);
  const staged = await stageUpload(
    open,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(open, actor, 'hooks', 'tools', staged, {
    distribution: 'debian/bookworm',
  });
  return pkg;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-webhook-int-'));
  receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  port = (receiver.address() as AddressInfo).port;
  strict = context(false);
  open = context(true);
  const s = await signUp(open, {
    email: 'hooks@example.test',
    password: 'long enough password',
    org: 'hooks',
  });
  actor = await authenticateToken(open, s.token);
  await createRepository(open, actor, 'hooks', { name: 'tools', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await strict?.queues.close();
  await open?.queues.close();
  receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('webhook events and the SSRF guard', () => {
  it('refuses a loopback literal at creation without the switch and accepts it with it', async () => {
    await expect(
      createWebhook(strict, actor, 'hooks', {
        url: `http://127.0.0.1:${port}/`,
        events: ['package.published'],
      }),
    ).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    expect(await strict.db.webhook.count()).toBe(0);
  });

  it('records publication, package and failure events in the transactions of their changes', async () => {
    const hook = await createWebhook(open, actor, 'hooks', {
      url: `http://127.0.0.1:${port}/all`,
      events: ['package.published', 'package.deleted', 'package.failed', 'publication.switched'],
    });
    const pkg = await upload('1.0');
    await ingestPackage(open, pkg.id);
    const published = await publishDistributionNow(
      open,
      (await open.db.package.findUniqueOrThrow({ where: { id: pkg.id } })).distributionId,
    );
    const failing = await upload('2.0');
    await markIngestFailed(open, failing.id, 'bad archive');
    await deletePackage(open, actor, 'hooks', 'tools', pkg.id);
    const rows = await open.db.webhookDelivery.findMany({
      where: { webhookId: hook.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.map((r) => r.event).sort()).toEqual(
      ['package.deleted', 'package.failed', 'package.published', 'publication.switched'].sort(),
    );
    const switched = rows.find((r) => r.event === 'publication.switched')!;
    expect(switched.payload).toMatchObject({
      repository: 'tools',
      distribution: 'debian/bookworm',
      publication: { id: published.publicationId },
    });
    expect(rows.find((r) => r.event === 'package.failed')!.payload).toMatchObject({
      package: { id: failing.id, name: 'hook', version: '2.0' },
      error: 'bad archive',
    });
    expect(rows.every((r) => r.status === 'PENDING')).toBe(true);

    const result = await deliverWebhook(open, switched.id, { isLast: false });
    expect(result).toMatchObject({ outcome: 'delivered', status: 204 });
    const got = received.at(-1)!;
    expect(got.headers['x-pallet-event']).toBe('publication.switched');
    expect(
      verifyWebhookSignature(
        hook.secret,
        {
          signature: got.headers['x-pallet-signature'] as string,
          timestamp: got.headers['x-pallet-timestamp'] as string,
        },
        got.body,
      ),
    ).toBe(true);
    const after = await open.db.webhookDelivery.findUniqueOrThrow({ where: { id: switched.id } });
    expect(after).toMatchObject({ status: 'DELIVERED', attempts: 1, responseStatus: 204 });
  });

  it('refuses at connection time a name that resolves to loopback, unless the operator allows it', async () => {
    // Created while the switch was on (as if the name pointed elsewhere then, DNS rebinding): at delivery
    // time the name is resolved and its address refused, whatever the creation check said.
    const hook = await createWebhook(open, actor, 'hooks', {
      url: `http://localhost:${port}/rebound`,
      events: ['package.deleted'],
    });
    const pkg = await upload('3.0');
    await deletePackage(open, actor, 'hooks', 'tools', pkg.id);
    const row = await open.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    const before = received.length;
    const refused = await deliverWebhook(strict, row.id, { isLast: false });
    expect(refused.outcome).toBe('failed');
    expect(received.length).toBe(before);
    const failed = await open.db.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/non-public address \(127\.0\.0\.1\)/);

    await open.db.webhookDelivery.update({ where: { id: row.id }, data: { status: 'QUEUED' } });
    expect(await deliverWebhook(open, row.id, { isLast: false })).toMatchObject({ outcome: 'delivered' });
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.headers['x-pallet-event']).toBe('package.deleted');
  });
});
