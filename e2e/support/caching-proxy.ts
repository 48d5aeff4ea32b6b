// A forward HTTP proxy that keeps every answer the origin marks `immutable` and serves it from its
// cache ever after, as CDNs and apt-cacher-ng do. It runs in its own process, so tests can drive it
// with synchronous clients (spawnSync apt-get).
import { spawn } from 'node:child_process';

const PROXY = `
import http from 'node:http';
const cache = new Map();
const server = http.createServer((req, res) => {
  const hit = cache.get(req.url);
  if (hit) {
    res.writeHead(200, { ...hit.headers, 'x-cache': 'HIT' });
    res.end(hit.body);
    return;
  }
  const upstream = http.request(req.url, { method: req.method, headers: req.headers }, (up) => {
    const chunks = [];
    up.on('data', (c) => chunks.push(c));
    up.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'GET' && up.statusCode === 200 && /immutable/.test(String(up.headers['cache-control']))) {
        cache.set(req.url, { headers: up.headers, body });
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.end(body);
    });
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export async function startCachingProxy(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROXY], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`caching proxy exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
