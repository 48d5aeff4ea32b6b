// The edge's certificate: issued by a local CA that `npm run edge` makes on first start (for trying the
// production shape on one machine), or by an ACME CA (RFC 8555: Let's Encrypt, or any CA that speaks
// ACME) when PALLET_ACME_DIRECTORY is set. Renewed well before expiry; nginx picks a new certificate up
// on a graceful reload (SIGHUP), so connections in flight are not dropped. Plain Node, like the other
// scripts; certificates are made with the openssl command line (local CA) or acme-client (ACME).
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';

const DAY_MS = 86_400_000;
/** Local certificates live this long; ACME CAs choose their own (Let's Encrypt: 90 days). */
const LOCAL_CERT_DAYS = 90;

/** Where the TLS material of an edge directory lives. */
export function tlsPaths(dir) {
  const tls = join(dir, 'tls');
  return {
    dir: tls,
    caKey: join(tls, 'ca.key'),
    caCert: join(tls, 'ca.pem'),
    /** The local CA's certificate where users look for it (`var/edge/ca.pem`). */
    publishedCa: join(dir, 'ca.pem'),
    cert: join(tls, 'cert.pem'),
    key: join(tls, 'key.pem'),
    state: join(tls, 'state.json'),
    accountKey: join(tls, 'acme-account.key'),
    challenges: join(tls, 'acme-challenge'),
    clientCas: join(tls, 'client-cas.pem'),
  };
}

function openssl(args, what) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`edge: openssl could not ${what}: ${(r.stderr || '').trim().split('\n')[0]}`);
  return r.stdout;
}

/** Writes a file so that a reader sees the old or the new content, never half of one. */
function writeAtomic(path, content, mode = 0o644) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

/** The edge's own CA for `npm run edge` without ACME: made once, kept across restarts. */
export function ensureLocalCa(dir) {
  const p = tlsPaths(dir);
  mkdirSync(p.dir, { recursive: true });
  if (!existsSync(p.caKey) || !existsSync(p.caCert)) {
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        p.caKey,
        '-out',
        p.caCert,
        '-days',
        '3650',
        '-subj',
        '/CN=Pallet edge local CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE,pathlen:0',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      'make the local CA',
    );
  }
  writeAtomic(p.publishedCa, readFileSync(p.caCert));
  return p.caCert;
}

function subjectAltNames(hostnames) {
  return hostnames.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
}

/** A server certificate for the hostnames, signed by the local CA (ECDSA P-256, 90 days). */
export function issueLocalCertificate(dir, hostnames) {
  const p = tlsPaths(dir);
  ensureLocalCa(dir);
  const key = `${p.key}.new`;
  const csr = join(p.dir, 'server.csr');
  const ext = join(p.dir, 'server.ext');
  const cert = `${p.cert}.new`;
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${subjectAltNames(hostnames)}`,
      '',
    ].join('\n'),
  );
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/CN=${hostnames[0]}`,
    ],
    'make a certificate request',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      p.caCert,
      '-CAkey',
      p.caKey,
      '-CAcreateserial',
      '-days',
      String(LOCAL_CERT_DAYS),
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    'sign the server certificate',
  );
  rmSync(csr, { force: true });
  installCertificate(dir, readFileSync(key, 'utf8'), readFileSync(cert, 'utf8'), 'local-ca');
  rmSync(key, { force: true });
  rmSync(cert, { force: true });
}

/** Puts a key and certificate chain in place (key first: nginx reads both on reload) and records it. */
function installCertificate(dir, keyPem, chainPem, source) {
  const p = tlsPaths(dir);
  mkdirSync(p.dir, { recursive: true });
  const leaf = new X509Certificate(chainPem);
  writeAtomic(p.key, keyPem, 0o600);
  writeAtomic(p.cert, chainPem);
  const previous = readCertificateState(dir);
  const state = {
    source,
    subjectAltName: leaf.subjectAltName ?? '',
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    renewedAt: new Date().toISOString(),
    renewals: (previous?.renewals ?? -1) + 1,
  };
  writeAtomic(p.state, `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

/** What `state.json` says about the certificate in place, or null before the first one. */
export function readCertificateState(dir) {
  try {
    return JSON.parse(readFileSync(tlsPaths(dir).state, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * True when the certificate in place is missing, does not cover the hostnames, or has less than a third
 * of its lifetime (and at most 30 days) left: Let's Encrypt's 90-day certificates renew at 30 days.
 */
export function needsRenewal(dir, hostnames, now = Date.now()) {
  const p = tlsPaths(dir);
  if (!existsSync(p.cert) || !existsSync(p.key)) return true;
  let leaf;
  try {
    leaf = new X509Certificate(readFileSync(p.cert));
  } catch {
    return true;
  }
  const san = leaf.subjectAltName ?? '';
  const covered = hostnames.every((h) => san.split(', ').includes(isIP(h) ? `IP Address:${h}` : `DNS:${h}`));
  if (!covered) return true;
  const from = Date.parse(leaf.validFrom);
  const to = Date.parse(leaf.validTo);
  const margin = Math.min((to - from) / 3, 30 * DAY_MS);
  return to - now < margin;
}

/**
 * Obtains a certificate from an ACME CA with the http-01 challenge: the token files are written under
 * `tls/acme-challenge/`, which the edge's plain-http server answers at /.well-known/acme-challenge/.
 * @param {{dir: string, hostnames: string[], directoryUrl: string, email?: string, caFile?: string}} opts
 */
export async function issueAcmeCertificate(opts) {
  const { default: acme } = await import('acme-client');
  if (opts.caFile) {
    // A CA outside the system's trust store for the directory's own https (a staging or test CA).
    acme.axios.defaults.httpsAgent = new https.Agent({ ca: readFileSync(opts.caFile) });
  }
  const p = tlsPaths(opts.dir);
  mkdirSync(p.challenges, { recursive: true });
  // nginx's workers (nobody) read the challenge files.
  spawnSync('chmod', ['0755', p.dir, p.challenges]);
  if (!existsSync(p.accountKey)) writeAtomic(p.accountKey, await acme.crypto.createPrivateEcdsaKey(), 0o600);
  // The account is registered once per directory; later orders name it (asking again for an existing
  // account makes some CAs refuse the request as an empty account update).
  const accountFile = `${p.accountKey}.json`;
  let known = null;
  try {
    known = JSON.parse(readFileSync(accountFile, 'utf8'));
  } catch {}
  const client = new acme.Client({
    directoryUrl: opts.directoryUrl,
    accountKey: readFileSync(p.accountKey),
    ...(known?.directoryUrl === opts.directoryUrl ? { accountUrl: known.accountUrl } : {}),
  });
  const [key, csr] = await acme.crypto.createCsr(
    { commonName: opts.hostnames[0], altNames: opts.hostnames },
    await acme.crypto.createPrivateEcdsaKey(),
  );
  const challengeFile = (challenge) => {
    if (!/^[A-Za-z0-9_-]+$/.test(challenge.token))
      throw new Error('edge: the ACME CA sent a malformed token');
    return join(p.challenges, challenge.token);
  };
  const chain = await client.auto({
    csr,
    email: opts.email,
    termsOfServiceAgreed: true,
    challengePriority: ['http-01'],
    // The CA checks from outside; a self-check from here would ask port 80 of this very machine.
    skipChallengeVerification: true,
    challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
      writeFileSync(challengeFile(challenge), keyAuthorization, { mode: 0o644 });
    },
    challengeRemoveFn: async (_authz, challenge) => {
      rmSync(challengeFile(challenge), { force: true });
    },
  });
  writeAtomic(
    accountFile,
    JSON.stringify({ directoryUrl: opts.directoryUrl, accountUrl: client.getAccountUrl() }),
  );
  return installCertificate(opts.dir, key.toString(), chain, 'acme');
}

/**
 * Makes sure a valid certificate for the hostnames is in place; returns true when a new one was
 * installed (the caller reloads nginx).
 * @param {{dir: string, hostnames: string[], acmeDirectory?: string, acmeEmail?: string,
 *   acmeCaFile?: string, force?: boolean}} opts
 */
export async function ensureCertificate(opts) {
  if (!opts.force && !needsRenewal(opts.dir, opts.hostnames)) return false;
  if (opts.acmeDirectory) {
    await issueAcmeCertificate({
      dir: opts.dir,
      hostnames: opts.hostnames,
      directoryUrl: opts.acmeDirectory,
      email: opts.acmeEmail,
      caFile: opts.acmeCaFile,
    });
  } else {
    issueLocalCertificate(opts.dir, opts.hostnames);
  }
  return true;
}

/** Days until the certificate in place expires (negative once expired), or null without one. */
export function certificateDaysLeft(state, now = Date.now()) {
  if (!state?.notAfter) return null;
  return Math.floor((Date.parse(state.notAfter) - now) / DAY_MS);
}
