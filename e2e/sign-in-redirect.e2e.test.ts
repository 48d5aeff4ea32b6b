/// <reference lib="dom" />
// After a correct sign-in, only same-origin paths are followed. Real Chromium signs in through the
// sign-in page with callbackUrls an attacker would put in a link (`/%5Cevil.example/x`, `/%09/...`, ...)
// and must stay on the app's origin without ever asking evil.example for anything; a legitimate
// callbackUrl is still followed. next-auth's own redirect (the `url` its credentials callback answers)
// is checked over HTTP with the same inputs.
import { PalletClient } from '@pallet/api-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'redirect-acme';
const EMAIL = 'owner@redirect-acme.test';
const PASSWORD = 'redirect test password 1';

/** callbackUrl query values exactly as they would appear in a crafted link. */
const HOSTILE = [
  '/%5Cevil.example/x',
  '/%5cevil.example/x',
  '/%09/evil.example/x',
  '/%0A/evil.example/x',
  '//evil.example/x',
  '%2F%2Fevil.example/x',
  '/%255Cevil.example/x',
  '%5C/evil.example/x',
  'https://evil.example/x',
  'HTTPS://EVIL.EXAMPLE/x',
  '/.//evil.example/x',
  'javascript:location.assign(%22https://evil.example/js%22)',
];

let pallet: RunningPallet;
let browser: Browser;

beforeAll(async () => {
  pallet = await startPallet('redirect');
  await new PalletClient(pallet.baseUrl).signup(EMAIL, PASSWORD, ORG);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pallet?.stop();
});

/** Signs in through the page at `/sign-in?callbackUrl=<raw>` and returns where the browser ended up. */
async function signInVia(rawCallback: string): Promise<{ url: URL; evilRequests: string[] }> {
  const context = await browser.newContext({ baseURL: pallet.baseUrl });
  const evilRequests: string[] = [];
  // Any request that leaves the app's origin is recorded and answered locally (never sent out).
  await context.route(
    (url) => url.origin !== pallet.baseUrl,
    (route) => {
      evilRequests.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'evil' });
    },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await page.goto(`/sign-in?callbackUrl=${rawCallback}`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/sign-in' || u.origin !== pallet.baseUrl);
    await page.waitForLoadState('networkidle');
    return { url: new URL(page.url()), evilRequests };
  } finally {
    await context.close();
  }
}

describe('sign-in redirects in Chromium', () => {
  it('follows a legitimate same-origin callbackUrl', async () => {
    const { url, evilRequests } = await signInVia(encodeURIComponent(`/orgs/${ORG}/tokens`));
    expect(url.origin).toBe(pallet.baseUrl);
    expect(url.pathname).toBe(`/orgs/${ORG}/tokens`);
    expect(evilRequests).toEqual([]);
  });

  for (const raw of HOSTILE) {
    it(`stays on the app's origin for callbackUrl=${raw}`, async () => {
      const { url, evilRequests } = await signInVia(raw);
      expect(url.origin).toBe(pallet.baseUrl);
      expect(url.hostname).not.toContain('evil');
      expect(evilRequests).toEqual([]);
    });
  }
});

describe("next-auth's redirect callback", () => {
  for (const raw of HOSTILE) {
    it(`answers a same-origin url for callbackUrl=${raw}`, async () => {
      const csrfRes = await fetch(`${pallet.baseUrl}/api/auth/csrf`);
      const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
      const cookie = csrfRes.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const res = await fetch(`${pallet.baseUrl}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: pallet.baseUrl },
        body: `${new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, json: 'true' })}&callbackUrl=${raw}`,
      });
      expect(res.status).toBe(200);
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin).toBe(pallet.baseUrl);
      expect(new URL(url).pathname.startsWith('//')).toBe(false);
    });
  }
});
