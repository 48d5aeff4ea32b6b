// Throwaway X.509 material for tests, made with the openssl command line: a CA (ECDSA P-256) and
// certificates it signs with the extensions a test asks for (a server name, client-auth usage).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA valid for two days in `dir`: `ca.pem` and `ca.key`. */
export function makeTestCa(dir: string, commonName: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    dir,
  );
  return { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
}

/**
 * A certificate signed by the CA in `dir` (made by makeTestCa): `<name>.pem` and `<name>.key`, with the
 * given extension lines, e.g. `subjectAltName=DNS:localhost` or `extendedKeyUsage=clientAuth`.
 */
export function issueTestCertificate(
  dir: string,
  name: string,
  commonName: string,
  extensions: string[],
): { cert: string; key: string } {
  openssl(
    ['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}
