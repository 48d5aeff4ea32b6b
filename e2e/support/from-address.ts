// A fetch that connects from a chosen local address (127.0.0.2, 127.0.0.3 … are all this machine), so a
// test can be several clients whose TCP peer addresses really differ, whatever headers they send.
import http from 'node:http';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

const NULL_BODY = new Set([101, 204, 205, 304]);

export function fetchFrom(localAddress: string): FetchLike {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const headers = new Headers(init.headers);
      const body = init.body == null ? undefined : String(init.body);
      if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
      const plain: Record<string, string> = {};
      headers.forEach((value, name) => {
        plain[name] = value;
      });
      const req = http.request(url, {
        method: init.method ?? 'GET',
        localAddress,
        headers: plain,
        agent: false,
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          const status = res.statusCode ?? 0;
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, headers: out }),
          );
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}
