// Bad input at the edge, through HTTP against the built server: a NUL or an unpaired surrogate anywhere
// (path segments, query strings, JSON bodies, sign-in forms, multipart fields), malformed
// percent-encoding, numbers out of range and oversized JSON bodies are answered 400/413 in the contract's
// shape on every route family, never 500. The API part walks the route inventory, so a new route file is
// covered the day it is added. Oversized bodies are answered before the client has sent them.
import net from 'node:net';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteOperations } from '../test/route-inventory';
import { launchChromium } from './support/browser';
import { retryStaleConnections } from './support/fetch-retry';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const ORG = 'edge-acme';
const REPO = 'tools';
const EMAIL = 'owner@edge-acme.test';
const PASSWORD = 'edge validation password 1';
/** Small, so that the tests can go over it cheaply; the default is 1 MiB. */
const MAX_JSON = 64 * 1024;
const HUGE = 100 * 1024 * 1024;

/**
 * Values for each dynamic segment of the route inventory: the org is real, the rest are not, so that a
 * check that failed to refuse would meet a 404 rather than delete something a later test needs.
 */
const PARAMS: Record<string, string> = { org: ORG, repo: 'no-such-repo', id: 'some-id', userId: 'some-user' };
/** POST routes whose body is multipart, not JSON. */
const MULTIPART = new Set(['POST orgs/[org]/repos/[repo]/packages']);

const BAD_SEGMENTS: [string, string][] = [
  ['a NUL', 'a%00b'],
  ['a lone NUL', '%00'],
  ['a truncated escape', '%E0%A4%A'],
  ['a non-hex escape', '%ZZ'],
  ['an encoded surrogate', '%ED%A0%80'],
];
const BAD_QUERIES: [string, string][] = [
  ['a NUL value', 'probe=a%00b'],
  ['a NUL name', 'a%00=1'],
  ['a malformed escape', 'probe=%E0%A4%A'],
  ['a bare percent', 'probe=100%'],
];

let pallet: RunningPallet;
let token: string;
let cookie: string;

function api(path: string): string {
  return `${pallet.baseUrl}/api/v1${path}`;
}

function concretePath(route: string, replace?: { param: string; value: string }): string {
  return `/${route}`.replace(/\[(\w+)\]/g, (_m, name: string) =>
    replace?.param === name ? replace.value : (PARAMS[name] ?? 'x'),
  );
}

/** Headers of the signed-in owner (a session works on every endpoint, user-only ones included). */
function sessionHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { cookie, origin: pallet.baseUrl, ...extra };
}

async function expectContractError(res: Response, status: number, what: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type'), what).toContain('application/json');
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, what).toBe('string');
  expect(typeof body.error?.message, what).toBe('string');
  expect(text, what).not.toMatch(/\bat .*\.(js|ts):\d+|prisma|PrismaClient|invalid byte sequence/i);
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** bytes of the request body written before the first byte of the answer arrived */
  sentBeforeAnswer: number;
}

/**
 * Sends a request over a raw socket: the head, then `firstPart` bytes of body, then waits (up to 15 s)
 * for the answer before sending any more. An answer that arrives while most of a declared body is still
 * unsent proves the server did not wait for (or read) all of it.
 */
async function sendPartly(opts: {
  path: string;
  headers: Record<string, string>;
  firstPart: number;
  chunked: boolean;
}): Promise<RawAnswer> {
  const url = new URL(pallet.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let sent = 0;
    let answer = '';
    let sentBeforeAnswer = -1;
    const timer = setTimeout(() => {
      socket.destroy();
      // What did arrive (a head without its body?) tells a stalled answer from none.
      const got = answer
        ? `; received so far: ${JSON.stringify(answer.slice(0, 600))}`
        : '; nothing received';
      reject(new Error(`no complete answer within 15 s after ${sent} body bytes${got}`));
    }, 15_000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const headEnd = answer.indexOf('\r\n\r\n');
      const head = answer.slice(0, headEnd);
      const body = answer.slice(headEnd + 4);
      resolve({
        status: Number(head.split(' ')[1]),
        head,
        body: /transfer-encoding: *chunked/i.test(head) ? dechunk(body) : body,
        sentBeforeAnswer,
      });
    };
    socket.on('data', (d) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      answer += d.toString('latin1');
      const headEnd = answer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = answer.slice(0, headEnd);
      const body = answer.slice(headEnd + 4);
      const length = /content-length: *(\d+)/i.exec(head);
      const chunkedAnswer = /transfer-encoding: *chunked/i.test(head);
      if (
        (length && Buffer.byteLength(body, 'latin1') >= Number(length[1])) ||
        (chunkedAnswer && body.endsWith('0\r\n\r\n'))
      )
        finish();
    });
    socket.on('error', (err) => {
      if (sentBeforeAnswer >= 0) finish();
      else {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', () => {
      if (sentBeforeAnswer >= 0) finish();
    });
    socket.on('connect', async () => {
      let head = `POST ${opts.path} HTTP/1.1\r\nHost: ${url.host}\r\n`;
      for (const [k, v] of Object.entries(opts.headers)) head += `${k}: ${v}\r\n`;
      head += opts.chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${HUGE}\r\n`;
      socket.write(`${head}\r\n`);
      // A JSON string that never ends: valid-looking, and far longer than any limit.
      const piece = Buffer.alloc(64 * 1024, 'a');
      piece.write('{"email":"', 0);
      while (sent < opts.firstPart && !socket.destroyed) {
        const data = opts.chunked
          ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
          : piece;
        sent += piece.length;
        if (!socket.write(data)) await new Promise((r) => socket.once('drain', r));
        piece.fill('a', 0, 10);
      }
    });
  });
}

beforeAll(async () => {
  retryStaleConnections();
  pallet = await startPallet('edgeval', { PALLET_MAX_JSON_BYTES: String(MAX_JSON) });
  const anon = new PalletClient(pallet.baseUrl);
  const signedUp = await anon.signup(EMAIL, PASSWORD, ORG);
  token = signedUp.token;
  await anon
    .withToken(token)
    .createRepository(ORG, { name: REPO, visibility: 'private', keyAlgorithm: 'ed25519' });
  const session = await signInWithPassword(pallet.baseUrl, EMAIL, PASSWORD);
  expect(session.cookie, JSON.stringify(session.body)).toBeTruthy();
  cookie = session.cookie!;
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
});

describe('every REST route refuses bad URLs with 400', () => {
  const operations = apiRouteOperations();

  it('walks a non-trivial inventory', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  for (const { method, route } of operations) {
    const params = [...route.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
    describe(`${method} ${route}`, () => {
      for (const param of params) {
        it(`refuses bad path segments in [${param}]`, async () => {
          for (const [what, value] of BAD_SEGMENTS) {
            const res = await fetch(api(concretePath(route, { param, value })), {
              method,
              headers: sessionHeaders({ authorization: `Bearer ${token}` }),
            });
            await expectContractError(res, 400, `${what} in [${param}]`);
          }
        });
      }

      it('refuses bad query strings', async () => {
        for (const [what, query] of BAD_QUERIES) {
          const res = await fetch(`${api(concretePath(route))}?${query}`, {
            method,
            headers: sessionHeaders({ authorization: `Bearer ${token}` }),
          });
          await expectContractError(res, 400, what);
        }
      });

      if (
        (method === 'POST' || method === 'PATCH' || method === 'PUT') &&
        !MULTIPART.has(`${method} ${route}`)
      ) {
        it('refuses JSON bodies with a NUL or a lone surrogate anywhere, and oversized ones with 413', async () => {
          const bodies: [string, string][] = [
            ['a NUL in a value', '{"name":"a\\u0000b","slug":"x","token":"x","role":"viewer"}'],
            ['a raw NUL byte in a value', '{"name":"a\u0000b"}'],
            ['a NUL in a key', '{"na\\u0000me":"x"}'],
            ['a NUL deep inside', '{"scopes":[["ok",{"x":"\\u0000"}]]}'],
            ['an unpaired surrogate', '{"name":"\\ud800x","description":"\\udfff"}'],
          ];
          for (const [what, body] of bodies) {
            const res = await fetch(api(concretePath(route)), {
              method,
              headers: sessionHeaders({ 'content-type': 'application/json' }),
              body,
            });
            await expectContractError(res, 400, what);
          }
          const big = JSON.stringify({ name: 'x', padding: 'p'.repeat(MAX_JSON) });
          const res = await fetch(api(concretePath(route)), {
            method,
            headers: sessionHeaders({ 'content-type': 'application/json' }),
            body: big,
          });
          await expectContractError(res, 413, 'a body over PALLET_MAX_JSON_BYTES');
        });
      }
    });
  }
});

describe('multipart uploads', () => {
  it('refuse a NUL in a text field’s value or name with 400, and store nothing', async () => {
    for (const [what, distribution] of [
      ['a NUL', 'debian/bookworm\u0000'],
      ['a NUL name', 'x'],
    ] as const) {
      const form = new FormData();
      form.set(what === 'a NUL name' ? 'distri\u0000bution' : 'distribution', distribution);
      // A body far larger than the check needs: the answer must not wait for it.
      form.set('file', new Blob([Buffer.alloc(8 * 1024 * 1024, 1)]), 'x.deb');
      const res = await fetch(api(`/orgs/${ORG}/repos/${REPO}/packages`), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      await expectContractError(res, 400, what);
    }
    const list = await fetch(api(`/orgs/${ORG}/repos/${REPO}/packages`), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await list.json()) as { total: number }).total).toBe(0);
  });
});

describe('numbers are range-checked', () => {
  it.each([
    '/audit?before=9999999999999999999',
    '/audit?before=9223372036854775808',
    '/audit?before=-1',
    '/audit?before=1e5',
    '/audit?limit=0',
    '/audit?limit=501',
    '/audit?limit=99999999999999999999',
    '/audit?limit=abc',
    `/repos/${REPO}/packages?page=0`,
    `/repos/${REPO}/packages?page=99999999999999999999`,
    `/repos/${REPO}/packages?per_page=0`,
    `/repos/${REPO}/packages?per_page=501`,
  ])('answers 400 to %s', async (path) => {
    const res = await fetch(api(`/orgs/${ORG}${path}`), { headers: { authorization: `Bearer ${token}` } });
    await expectContractError(res, 400, path);
  });

  it('still answers the largest valid cursor', async () => {
    const res = await fetch(api(`/orgs/${ORG}/audit?before=9223372036854775807&limit=500`), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('repository files (/dl)', () => {
  it.each([
    `/dl/${ORG}/${REPO}/deb/debian/dists/bookworm/%E0%A4%A`,
    '/dl/%E0%A4%A',
    `/dl/${ORG}/%ZZ/gpg.asc`,
    `/dl/${ORG}/${REPO}/deb/debian/dists/bookworm/In%00Release`,
    `/dl/${ORG}%00/${REPO}/gpg.asc`,
    `/dl/${ORG}/${REPO}/gpg.asc?x=%00`,
  ])('answers 400 to %s', async (path) => {
    const res = await fetch(`${pallet.baseUrl}${path}`);
    await expectContractError(res, 400, path);
  });
});

describe('next-auth endpoints', () => {
  async function credentialsPost(fields: Record<string, string>, extra: Record<string, string> = {}) {
    const csrfRes = await fetch(`${pallet.baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const csrfCookie = csrfRes.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return fetch(`${pallet.baseUrl}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: csrfCookie,
        origin: pallet.baseUrl,
        ...extra,
      },
      body: new URLSearchParams({ csrfToken, json: 'true', ...fields }),
    });
  }

  it('answers 400 to a credentials sign-in with a NUL in the email or password', async () => {
    for (const fields of [
      { email: `owner\u0000@edge-acme.test`, password: PASSWORD },
      { email: EMAIL, password: `${PASSWORD}\u0000` },
    ]) {
      const res = await credentialsPost(fields);
      await expectContractError(res, 400, JSON.stringify(fields));
      expect(res.headers.getSetCookie().some((c) => c.includes('session-token='))).toBe(false);
    }
  });

  it('answers 413 to an oversized sign-in form', async () => {
    const res = await credentialsPost({ email: EMAIL, password: PASSWORD, padding: 'p'.repeat(MAX_JSON) });
    await expectContractError(res, 413, 'oversized form');
  });

  it('answers 400 to bad query strings', async () => {
    for (const query of ['callbackUrl=%00', 'callbackUrl=%E0%A4%A']) {
      const res = await fetch(`${pallet.baseUrl}/api/auth/signin?${query}`, { redirect: 'manual' });
      await expectContractError(res, 400, query);
    }
  });

  it('still signs the owner in', async () => {
    const res = await credentialsPost({ email: EMAIL, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.includes('session-token='))).toBe(true);
  });
});

describe('dashboard pages', () => {
  it.each([
    `/orgs/${ORG}%00/repos`,
    `/orgs/%ZZ/repos`,
    `/orgs/${ORG}/repos/${REPO}?q=%00`,
    `/orgs/${ORG}/repos/${REPO}?q=%E0%A4%A`,
    '/invite/%00',
    '/sign-in?callbackUrl=%00',
  ])('answer 400 to %s', async (path) => {
    const res = await fetch(`${pallet.baseUrl}${path}`, { headers: sessionHeaders(), redirect: 'manual' });
    await expectContractError(res, 400, path);
  });
});

describe('dashboard server actions', () => {
  it('refuse a NUL typed into a form (in Chromium) with a clear message, and create nothing', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ baseURL: pallet.baseUrl });
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: pallet.baseUrl }]);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`/orgs/${ORG}/tokens`);
      await page.locator('#token-name').fill('ci');
      // A user cannot type NUL; a page script (or a crafted request) can put one in the field.
      await page.locator('#token-customer').evaluate((el) => {
        (el as HTMLInputElement).value = 'acme\u0000corp';
      });
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('contains a NUL character').waitFor();
      const list = await fetch(api(`/orgs/${ORG}/tokens`), { headers: { authorization: `Bearer ${token}` } });
      expect(await list.text()).not.toContain('"ci"');
    } finally {
      await browser.close();
    }
  });
});

describe('dashboard server actions and PALLET_MAX_JSON_BYTES', () => {
  it('refuse a form body over the limit (below Next’s own 1 MB default) and create nothing', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ baseURL: pallet.baseUrl });
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: pallet.baseUrl }]);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      /** Submits the token form with an extra field of `padding` bytes; answers the action's status. */
      const submit = async (tokenName: string, padding: number): Promise<number> => {
        await page.goto(`/orgs/${ORG}/tokens`);
        await page.locator('#token-name').fill(tokenName);
        await page.locator('#token-name').evaluate((el, size) => {
          const extra = document.createElement('input');
          extra.type = 'hidden';
          extra.name = 'padding';
          extra.value = 'p'.repeat(size);
          (el as HTMLInputElement).form?.append(extra);
        }, padding);
        const answer = page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().includes(`/orgs/${ORG}/tokens`),
        );
        await page.getByRole('button', { name: 'Create token' }).click();
        return (await answer).status();
      };
      const names = async () =>
        (await (
          await fetch(api(`/orgs/${ORG}/tokens`), { headers: { authorization: `Bearer ${token}` } })
        ).json()) as { items?: { name: string }[] } | { name: string }[];
      const listed = async (tokenName: string) => JSON.stringify(await names()).includes(`"${tokenName}"`);

      expect(await submit('padded-small', 1024)).toBe(200);
      await expect.poll(() => listed('padded-small')).toBe(true);
      expect(await submit('padded-large', 4 * MAX_JSON)).toBeGreaterThanOrEqual(400);
      expect(await listed('padded-large')).toBe(false);
    } finally {
      await browser.close();
    }
  });
});

describe('oversized JSON bodies', () => {
  it('answers 413 to a declared 100 MiB body after reading almost none of it', async () => {
    const answer = await sendPartly({
      path: '/api/v1/signup',
      headers: { 'Content-Type': 'application/json' },
      firstPart: 1024 * 1024,
      chunked: false,
    });
    expect(answer.status, answer.head).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('body_too_large');
    expect(answer.sentBeforeAnswer).toBeLessThan(HUGE / 10);
  });

  it('answers 413 to a chunked body (no Content-Length) once it passes the limit', async () => {
    const answer = await sendPartly({
      path: '/api/v1/signup',
      headers: { 'Content-Type': 'application/json' },
      firstPart: 4 * MAX_JSON,
      chunked: true,
    });
    expect(answer.status, answer.head).toBe(413);
    expect(answer.sentBeforeAnswer).toBeLessThan(HUGE / 10);
  });

  it('stays healthy afterwards', async () => {
    const res = await fetch(api('/health'));
    expect(res.status).toBe(200);
  });
});
