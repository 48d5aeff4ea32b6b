// Issue 9 items 5–7 over HTTP against the built server: client addresses come from the TCP peer unless
// PALLET_TRUST_PROXY names our proxies; failing credentials are slowed down without refusing valid ones
// or locking the owner out; a token never does more than its creator may do now. Clients really connect
// from different loopback addresses (127.0.0.x), whatever X-Forwarded-For they send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchLike, fetchFrom } from './support/from-address';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const PASSWORD = 'owner password, long enough';
const BAD_TOKEN = 'plt_0000000000notarealtoken0000000000';

interface Account {
  org: string;
  token: string;
  email: string;
}

async function signUp(
  pallet: RunningPallet,
  org: string,
  via: FetchLike = fetch,
  headers = {},
): Promise<Account> {
  const email = `owner@${org}.test`;
  const res = await via(`${pallet.baseUrl}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password: PASSWORD, org }),
  });
  expect(res.status).toBe(201);
  return { org, email, token: ((await res.json()) as { token: string }).token };
}

async function api(pallet: RunningPallet, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${pallet.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function auditIps(pallet: RunningPallet, account: Account, action: string): Promise<string[]> {
  const { body } = await api(pallet, account.token, 'GET', `/orgs/${account.org}/audit?limit=100`);
  return (body.items as { action: string; ip: string }[]).filter((e) => e.action === action).map((e) => e.ip);
}

/** Sends `count` requests with a bad credential; returns the statuses in order. */
async function flood(count: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await send(i);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

describe('without trusted proxies (the default)', () => {
  let pallet: RunningPallet;
  let acme: Account;
  let readToken: string;

  beforeAll(async () => {
    pallet = await startPallet('authlim-direct');
    acme = await signUp(pallet, 'authlim-acme');
    expect(
      (
        await api(pallet, acme.token, 'POST', `/orgs/${acme.org}/repos`, {
          name: 'secret',
          visibility: 'private',
        })
      ).status,
    ).toBe(201);
    const read = await api(pallet, acme.token, 'POST', `/orgs/${acme.org}/tokens`, {
      name: 'fleet',
      scopes: ['repo:read'],
    });
    readToken = read.body.token;
  }, 180_000);

  afterAll(async () => {
    await pallet?.stop();
  });

  it('keeps answering a valid token with 200 on the API from an address that just sent 150 bad tokens, whatever X-Forwarded-For said', async () => {
    const attacker = fetchFrom('127.0.0.2');
    const statuses = await flood(150, (i) =>
      attacker(`${pallet.baseUrl}/api/v1/orgs/${acme.org}`, {
        headers: { authorization: `Bearer ${BAD_TOKEN}`, 'x-forwarded-for': `198.51.${i >> 8}.${i & 255}` },
      }),
    );
    // The default limit is 100 failures per 5 minutes: rotating the header did not reset it.
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    const limited = await attacker(`${pallet.baseUrl}/api/v1/orgs/${acme.org}`, {
      headers: { authorization: `Bearer ${BAD_TOKEN}` },
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const valid = await attacker(`${pallet.baseUrl}/api/v1/orgs/${acme.org}`, {
      headers: { authorization: `Bearer ${acme.token}`, 'x-forwarded-for': '198.51.0.1' },
    });
    expect(valid.status).toBe(200);
    // Someone else's address is untouched: a bad token from there is a plain 401.
    const other = await fetchFrom('127.0.0.3')(`${pallet.baseUrl}/api/v1/orgs/${acme.org}`, {
      headers: { authorization: `Bearer ${BAD_TOKEN}` },
    });
    expect(other.status).toBe(401);
  });

  it('keeps serving a private repository to a valid read token on /dl after 150 bad ones from its address', async () => {
    const client = fetchFrom('127.0.0.4');
    const basic = (secret: string) => `Basic ${Buffer.from(`fleet:${secret}`).toString('base64')}`;
    const url = `${pallet.baseUrl}/dl/${acme.org}/secret/gpg.asc`;
    const statuses = await flood(150, (i) =>
      client(url, {
        headers: { authorization: basic(BAD_TOKEN), 'x-forwarded-for': `203.0.113.${i % 250}` },
      }),
    );
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    const valid = await client(url, { headers: { authorization: basic(readToken) } });
    expect(valid.status).toBe(200);
    expect(await valid.text()).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('writes the peer address, not X-Forwarded-For or X-Pallet-Peer, into the audit log', async () => {
    const res = await fetchFrom('127.0.0.5')(`${pallet.baseUrl}/api/v1/orgs/${acme.org}/tokens`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${acme.token}`,
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.66',
        'x-real-ip': '203.0.113.67',
        'x-pallet-peer': '203.0.113.68',
      },
      body: JSON.stringify({ name: 'audited', scopes: ['repo:read'] }),
    });
    expect(res.status).toBe(201);
    expect((await auditIps(pallet, acme, 'token.create'))[0]).toBe('127.0.0.5');
  });

  it('lets the owner sign in right after a stranger made 50 wrong attempts from one address', async () => {
    const stranger = fetchFrom('127.0.0.6');
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await signInWithPassword(
        pallet.baseUrl,
        acme.email,
        `guess ${i}`,
        { 'x-forwarded-for': `192.0.2.${i}` },
        stranger,
      );
      statuses.push(r.status);
      expect(r.cookie).toBeNull();
    }
    // Five free failures, then waits of 1 s, 2 s, 4 s …: the guesses in between are refused unchecked,
    // so only a handful of the 50 were tried at all (and the account itself is not locked).
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(9);
    // Once a wait ends, the next failure starts a longer one (at least 2 s by now), and the right
    // password waits with it.
    let last = await signInWithPassword(pallet.baseUrl, acme.email, 'again', {}, stranger);
    while (last.status === 429) {
      await new Promise((r) => setTimeout(r, Number(last.retryAfter) * 1000));
      last = await signInWithPassword(pallet.baseUrl, acme.email, 'again', {}, stranger);
    }
    expect(last.status).toBe(401);
    const held = await signInWithPassword(pallet.baseUrl, acme.email, PASSWORD, {}, stranger);
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(2);
    expect(held.cookie).toBeNull();

    const owner = await signInWithPassword(pallet.baseUrl, acme.email, PASSWORD, {}, fetchFrom('127.0.0.7'));
    expect(owner.status).toBe(200);
    expect(owner.cookie).toMatch(/next-auth\.session-token=/);
  });

  it('lets the owner sign in from a new address right after 50 wrong attempts spread over 50 addresses', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await signInWithPassword(
        pallet.baseUrl,
        acme.email,
        `spread ${i}`,
        {},
        fetchFrom(`127.0.1.${i + 1}`),
      );
      expect(r.status).toBe(401);
    }
    // The account is now under attack: a fresh attacking address gets one try, then waits.
    const fresh = fetchFrom('127.0.2.1');
    expect((await signInWithPassword(pallet.baseUrl, acme.email, 'one more', {}, fresh)).status).toBe(401);
    expect((await signInWithPassword(pallet.baseUrl, acme.email, 'and another', {}, fresh)).status).toBe(429);
    const owner = await signInWithPassword(pallet.baseUrl, acme.email, PASSWORD, {}, fetchFrom('127.0.3.1'));
    expect(owner.status).toBe(200);
    expect(owner.cookie).not.toBeNull();
    // Unknown accounts are answered the same way as known ones.
    const ghost = await signInWithPassword(pallet.baseUrl, 'nobody@authlim-acme.test', PASSWORD, {}, fresh);
    expect(ghost.status).toBe(401);
  });

  it("bounds a member's token by the member's current role and kills it when they are removed", async () => {
    const memberEmail = 'member@authlim-acme.test';
    const own = await signUp(pallet, 'authlim-member-home');
    expect(own.email).toBe('owner@authlim-member-home.test');
    // The member: an account of its own, invited to acme as admin.
    const signup = await fetch(`${pallet.baseUrl}/api/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: memberEmail, password: PASSWORD, org: 'authlim-member-org' }),
    });
    expect(signup.status).toBe(201);
    const memberId = ((await signup.json()) as { user: { id: string } }).user.id;
    const invite = await api(pallet, acme.token, 'POST', `/orgs/${acme.org}/invitations`, {
      email: memberEmail,
      role: 'admin',
    });
    expect(invite.status).toBe(201);
    const session = await signInWithPassword(
      pallet.baseUrl,
      memberEmail,
      PASSWORD,
      {},
      fetchFrom('127.0.4.1'),
    );
    expect(session.status).toBe(200);
    const cookieCall = (method: string, path: string, body: unknown) =>
      fetch(`${pallet.baseUrl}/api/v1${path}`, {
        method,
        headers: { cookie: session.cookie!, origin: pallet.baseUrl, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await cookieCall('POST', '/invitations/accept', { token: invite.body.token })).status).toBe(200);
    const made = await cookieCall('POST', `/orgs/${acme.org}/tokens`, {
      name: 'member admin',
      scopes: ['org:admin'],
    });
    expect(made.status).toBe(201);
    const memberToken = ((await made.json()) as { token: string }).token;

    // The token list says who made each token.
    const list = await api(pallet, acme.token, 'GET', `/orgs/${acme.org}/tokens`);
    expect(list.body.find((t: { name: string }) => t.name === 'member admin').createdBy).toEqual({
      id: memberId,
      email: memberEmail,
    });
    expect(list.body.find((t: { name: string }) => t.name === 'fleet').createdBy.email).toBe(acme.email);

    const adminAction = () =>
      api(pallet, memberToken, 'POST', `/orgs/${acme.org}/tokens`, {
        name: 'escalate',
        scopes: ['org:admin'],
      });
    expect((await adminAction()).status).toBe(201);

    const demote = await api(pallet, acme.token, 'PATCH', `/orgs/${acme.org}/members/${memberId}`, {
      role: 'publisher',
    });
    expect(demote.status).toBe(200);
    expect((await adminAction()).status).toBe(403);
    expect((await api(pallet, memberToken, 'GET', `/orgs/${acme.org}/tokens`)).status).toBe(403);
    const listed = await api(pallet, acme.token, 'GET', `/orgs/${acme.org}/tokens`);
    expect(listed.body.find((t: { name: string }) => t.name === 'member admin')).toMatchObject({
      scopes: ['org:admin'],
      effectiveScopes: ['repo:write'],
    });
    // The dashboard's token page says the same to the owner.
    const ownerSession = await signInWithPassword(
      pallet.baseUrl,
      acme.email,
      PASSWORD,
      {},
      fetchFrom('127.0.4.2'),
    );
    const page = await fetch(`${pallet.baseUrl}/orgs/${acme.org}/tokens`, {
      headers: { cookie: ownerSession.cookie! },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    const start = html.indexOf('data-token="member admin"');
    expect(start).toBeGreaterThan(0);
    const row = html.slice(start, html.indexOf('</tr>', start));
    expect(row).toContain('member@authlim-acme.test');
    expect(row).toContain('acts as repo:write');
    // What a publisher may do still works.
    expect((await api(pallet, memberToken, 'GET', `/orgs/${acme.org}/repos`)).status).toBe(200);
    // /dl remembers checked tokens; removing the member must reach that too.
    const key = `${pallet.baseUrl}/dl/${acme.org}/secret/gpg.asc`;
    const dl = () => fetch(key, { headers: { authorization: `Bearer ${memberToken}` } });
    expect((await dl()).status).toBe(200);
    expect((await dl()).status).toBe(200);

    expect((await api(pallet, acme.token, 'DELETE', `/orgs/${acme.org}/members/${memberId}`)).status).toBe(
      204,
    );
    expect((await api(pallet, memberToken, 'GET', `/orgs/${acme.org}/repos`)).status).toBe(401);
    await expect.poll(async () => (await dl()).status, { timeout: 5000 }).toBe(401);
    const after = await api(pallet, acme.token, 'GET', `/orgs/${acme.org}/tokens`);
    const memberTokens = after.body.filter(
      (t: { createdBy: { email: string } | null }) => t.createdBy?.email === memberEmail,
    );
    expect(memberTokens.length).toBe(2);
    expect(memberTokens.every((t: { revokedAt: string | null }) => t.revokedAt !== null)).toBe(true);
  });
});

describe('behind one trusted proxy (PALLET_TRUST_PROXY=1)', () => {
  let pallet: RunningPallet;

  beforeAll(async () => {
    pallet = await startPallet('authlim-hop', {
      PALLET_TRUST_PROXY: '1',
      PALLET_LIMIT_TOKEN_FAILURES_SOURCE: '10/5m',
    });
  }, 180_000);

  afterAll(async () => {
    await pallet?.stop();
  });

  it('takes the address the proxy appended, for the audit log and for the limits', async () => {
    const acme = await signUp(pallet, 'authlim-hop', fetch, { 'x-forwarded-for': '6.6.6.6, 198.51.100.9' });
    expect(await auditIps(pallet, acme, 'org.create')).toEqual(['198.51.100.9']);
    const send = (client: string, token = BAD_TOKEN) =>
      fetch(`${pallet.baseUrl}/api/v1/orgs/${acme.org}`, {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `10.0.0.1, ${client}` },
      });
    const statuses = await flood(12, () => send('198.51.100.20'));
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect((await send('198.51.100.21')).status).toBe(401);
    expect((await send('198.51.100.20', acme.token)).status).toBe(200);
  });
});

describe('behind proxies named by address (PALLET_TRUST_PROXY=127.0.0.1/32,::1)', () => {
  let pallet: RunningPallet;

  beforeAll(async () => {
    pallet = await startPallet('authlim-cidr', { PALLET_TRUST_PROXY: '127.0.0.1/32,::1' });
  }, 180_000);

  afterAll(async () => {
    await pallet?.stop();
  });

  it('believes X-Forwarded-For from a trusted proxy, walking past trusted hops, and ignores it from anyone else', async () => {
    const viaProxy = await signUp(pallet, 'authlim-cidr', fetch, {
      'x-forwarded-for': '6.6.6.6, 198.51.100.30, 127.0.0.1',
    });
    expect(await auditIps(pallet, viaProxy, 'org.create')).toEqual(['198.51.100.30']);
    const direct = await signUp(pallet, 'authlim-cidr-direct', fetchFrom('127.0.0.9'), {
      'x-forwarded-for': '198.51.100.31',
    });
    expect(await auditIps(pallet, direct, 'org.create')).toEqual(['127.0.0.9']);
  });
});
