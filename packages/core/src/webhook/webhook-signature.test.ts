import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  openWebhookSecret,
  sealWebhookSecret,
  signWebhookBody,
  verifyWebhookSignature,
} from './webhook-signature';

const MASTER = new Uint8Array(32).fill(7);

describe('webhook signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256, as docs/webhooks.md tells receivers', () => {
    const body = '{"event":"package.published"}';
    const expected = createHmac('sha256', 'whsec_test').update(`1700000000.${body}`).digest('hex');
    expect(signWebhookBody('whsec_test', 1700000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies within the tolerance and refuses old, altered or missing signatures', () => {
    const body = '{"a":1}';
    const sig = signWebhookBody('s3cret-s3cret-s3cret', 1000, body);
    const ok = { signature: sig, timestamp: '1000' };
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', ok, body, 1200)).toBe(true);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', ok, body, 1301)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', ok, '{"a":2}', 1000)).toBe(false);
    expect(verifyWebhookSignature('other-secret-other', ok, body, 1000)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', { ...ok, timestamp: '1001' }, body, 1000)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature('s3cret-s3cret-s3cret', { signature: null, timestamp: '1000' }, body, 1000),
    ).toBe(false);
  });

  it('seals the secret bound to its webhook id; the envelope does not contain it', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    const sealed = sealWebhookSecret(secret, MASTER, 'hook-1');
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false);
    expect(openWebhookSecret(sealed, MASTER, 'hook-1')).toBe(secret);
    expect(() => openWebhookSecret(sealed, MASTER, 'hook-2')).toThrow(/cannot be opened/);
  });
});
