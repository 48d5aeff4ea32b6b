// Debian's pebble (Let's Encrypt's ACME test CA, RFC 8555) for the ACME path of the edge, with
// pebble-challtestsrv as its DNS server so that every name resolves to 127.0.0.1. Pebble's own https
// listener gets a certificate from a throwaway CA made here (the package ships none); its issuing root
// is regenerated per run and fetched from the management interface.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { freePort } from './server';
import { issueTestCertificate, makeTestCa } from './test-ca';

export interface RunningPebble {
  directoryUrl: string;
  /** trusts pebble's own https listener (for the ACME client) */
  listenerCaFile: string;
  /** the root that signs issued certificates (for clients of the edge) */
  issuingRootFile: string;
  stop(): Promise<void>;
}

function getWithCa(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

/** Starts pebble validating http-01 challenges on `httpPort` (the edge's plain-http port). */
export async function startPebble(dir: string, httpPort: number): Promise<RunningPebble> {
  const listenerCa = makeTestCa(dir, 'pebble listener test CA');
  const listener = issueTestCertificate(dir, 'listener', 'localhost', [
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const [acmePort, mgmtPort, dnsPort, challMgmt] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  writeFileSync(
    join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${mgmtPort}`,
        certificate: listener.cert,
        privateKey: listener.key,
        httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const children: ChildProcess[] = [];
  const run = (cmd: string, args: string[], log: string, env: NodeJS.ProcessEnv = {}) => {
    const out = createWriteStream(join(dir, log));
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    children.push(child);
  };
  // Every A query answers 127.0.0.1 and AAAA none: the CA reaches the edge on the loopback.
  run(
    'pebble-challtestsrv',
    [
      '-defaultIPv4',
      '127.0.0.1',
      '-defaultIPv6',
      '',
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${challMgmt}`,
    ],
    'challtestsrv.log',
  );
  run(
    'pebble',
    ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`, '-strict', 'false'],
    'pebble.log',
    {
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: '0',
    },
  );
  const ca = listenerCa.cert;
  const caPem = readFileSync(ca, 'utf8');
  const until = Date.now() + 20_000;
  let root = '';
  for (;;) {
    try {
      await getWithCa(`https://127.0.0.1:${acmePort}/dir`, caPem);
      root = await getWithCa(`https://127.0.0.1:${mgmtPort}/roots/0`, caPem);
      break;
    } catch (err) {
      if (Date.now() > until) throw new Error(`pebble did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const issuingRootFile = join(dir, 'issuing-root.pem');
  writeFileSync(issuingRootFile, root);
  return {
    directoryUrl: `https://127.0.0.1:${acmePort}/dir`,
    listenerCaFile: ca,
    issuingRootFile,
    async stop() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
    },
  };
}
