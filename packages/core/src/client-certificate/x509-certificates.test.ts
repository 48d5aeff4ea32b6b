// Client-certificate X.509 helpers, checked against the openssl command line as the oracle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CertificateInputError,
  checkCertificateAuthority,
  checkIssuedBy,
  createCertificateAuthority,
  fingerprintOfPem,
  issueClientCertificate,
} from './x509-certificates';

const work = mkdtempSync(join(tmpdir(), 'pallet-x509-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function openssl(args: string[]) {
  const r = spawnSync('openssl', args, { cwd: work, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function file(name: string, content: string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

describe('client certificates', () => {
  it('issues a client certificate that openssl verifies against the CA for TLS client use', async () => {
    const ca = await createCertificateAuthority('acme client CA', 30);
    const leaf = await issueClientCertificate({
      caPem: ca.pem,
      caPrivateKeyPem: ca.privateKeyPem,
      subjectName: 'acme:build-42',
      validDays: 10,
    });
    const caFile = file('ca.pem', ca.pem);
    const leafFile = file('leaf.pem', leaf.pem);
    const verify = openssl(['verify', '-purpose', 'sslclient', '-CAfile', caFile, leafFile]);
    expect(verify.out).toContain('leaf.pem: OK');
    // The handed-out key belongs to the certificate.
    const keyFile = file('leaf.key', leaf.privateKeyPem!);
    const fromKey = openssl(['pkey', '-in', keyFile, '-pubout']).out;
    const fromCert = openssl(['x509', '-in', leafFile, '-pubkey', '-noout']).out;
    expect(fromKey).toBe(fromCert);
    // The fingerprint is SHA-256 over the DER, as openssl computes it.
    const fp = openssl(['x509', '-in', leafFile, '-noout', '-fingerprint', '-sha256']).out;
    expect(fp.split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(leaf.fingerprint);
    expect(fingerprintOfPem(leaf.pem)).toBe(leaf.fingerprint);
    // Exactly one parseable certificate, as parseCertificate asks (node's parser, not @peculiar/x509).
    expect(fingerprintOfPem(`${leaf.pem}${ca.pem}`)).toBeNull();
    expect(fingerprintOfPem('-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n')).toBeNull();
    expect(fingerprintOfPem('not a certificate')).toBeNull();
    expect(leaf.subject).toBe('CN=acme:build-42');
  });

  it('issues from a CSR without ever seeing the private key, and refuses a tampered CSR', async () => {
    const ca = await createCertificateAuthority('csr CA', 30);
    openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'm.key',
      '-out',
      'm.csr',
      '-subj',
      '/CN=machine',
    ]);
    const csr = readFileSync(join(work, 'm.csr'), 'utf8');
    const leaf = await issueClientCertificate({
      caPem: ca.pem,
      caPrivateKeyPem: ca.privateKeyPem,
      subjectName: 'm',
      validDays: 5,
      csrPem: csr,
    });
    expect(leaf.privateKeyPem).toBeUndefined();
    const leafFile = file('m.pem', leaf.pem);
    expect(openssl(['x509', '-in', leafFile, '-pubkey', '-noout']).out).toBe(
      openssl(['pkey', '-in', 'm.key', '-pubout']).out,
    );
    // Flip one character of the signature-bearing base64 body: the self-signature no longer holds.
    const lines = csr.trim().split('\n');
    const i = lines.length - 3;
    lines[i] = lines[i]!.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(
      issueClientCertificate({
        caPem: ca.pem,
        caPrivateKeyPem: ca.privateKeyPem,
        subjectName: 'm',
        validDays: 5,
        csrPem: lines.join('\n'),
      }),
    ).rejects.toBeInstanceOf(CertificateInputError);
  });

  it("registers only certificates signed by one of the org's CAs", async () => {
    const mine = await createCertificateAuthority('mine', 30);
    const theirs = await createCertificateAuthority('mine', 30); // same name, other key
    const leaf = await issueClientCertificate({
      caPem: theirs.pem,
      caPrivateKeyPem: theirs.privateKeyPem,
      subjectName: 'x',
      validDays: 5,
    });
    await expect(checkIssuedBy(leaf.pem, [mine.pem])).rejects.toThrow(/not issued by/);
    expect((await checkIssuedBy(leaf.pem, [mine.pem, theirs.pem])).caPem).toBe(theirs.pem);
  });

  it('accepts an uploaded CA only when it is a CA', async () => {
    const ca = await createCertificateAuthority('upload', 30);
    expect(checkCertificateAuthority(ca.pem).fingerprint).toBe(ca.fingerprint);
    const leaf = await issueClientCertificate({
      caPem: ca.pem,
      caPrivateKeyPem: ca.privateKeyPem,
      subjectName: 'x',
      validDays: 5,
    });
    expect(() => checkCertificateAuthority(leaf.pem)).toThrow(/not a CA/);
    expect(() => checkCertificateAuthority('not a certificate')).toThrow(CertificateInputError);
    expect(() => checkCertificateAuthority(`${ca.pem}${ca.pem}`)).toThrow(/exactly one/);
  });
});
