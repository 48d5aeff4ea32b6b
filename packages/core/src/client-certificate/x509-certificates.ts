// X.509 for client certificates (RFC 5280), through @peculiar/x509 on Node's WebCrypto: an org CA,
// client certificates it issues (from a CSR, or with a key made here and handed out once), and the
// checks the registration of an outside certificate needs. Pure: no database, no HTTP.
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
// @peculiar/x509 takes Node's WebCrypto from `globalThis.crypto` by itself. (Setting it here, at import,
// would be a statement that keeps the library loaded in every bundle of core, the web front's included.)

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export class CertificateInputError extends Error {}

export interface CertificateFacts {
  pem: string;
  /** SHA-256 of the DER, lower-case hex */
  fingerprint: string;
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

function factsOf(cert: x509.X509Certificate): CertificateFacts {
  return {
    pem: `${cert.toString('pem')}\n`,
    fingerprint: createHash('sha256').update(new Uint8Array(cert.rawData)).digest('hex'),
    serialNumber: cert.serialNumber,
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** One PEM certificate, parsed; anything else (several, a key, garbage) is refused. */
export function parseCertificate(pem: string): CertificateFacts & { cert: x509.X509Certificate } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) throw new CertificateInputError('Expected exactly one PEM certificate.');
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(blocks[0]!);
  } catch {
    throw new CertificateInputError('The certificate could not be parsed.');
  }
  return { ...factsOf(cert), cert };
}

/** SHA-256 fingerprint of a PEM certificate (the form nginx passes on), or null when it is not one. */
export { fingerprintOfPem } from './pem-fingerprint';

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // a positive INTEGER
  return Buffer.from(bytes).toString('hex');
}

/** RFC 4514 name from plain text: only a CN, with the characters that need it escaped. */
function commonName(text: string): string {
  return `CN=${text.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`)}`;
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

async function importSigningKey(pkcs8Pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pkcs8Pem)[0]!;
  return webcrypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
}

/** A new CA (ECDSA P-256, self-signed, may sign end-entity certificates only). */
export async function createCertificateAuthority(
  name: string,
  validDays: number,
): Promise<CertificateFacts & { privateKeyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: commonName(name),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + validDays * DAY_MS),
    signingAlgorithm: EC,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { ...factsOf(cert), privateKeyPem: await exportPkcs8(keys.privateKey) };
}

/**
 * A client certificate (clientAuth only) signed by the CA: for the CSR's key, whose self-signature is
 * checked, or for a key made here (returned once, never kept).
 */
export async function issueClientCertificate(input: {
  caPem: string;
  caPrivateKeyPem: string;
  subjectName: string;
  validDays: number;
  csrPem?: string;
}): Promise<CertificateFacts & { privateKeyPem?: string }> {
  const ca = parseCertificate(input.caPem).cert;
  let publicKey: CryptoKey | x509.PublicKey;
  let privateKeyPem: string | undefined;
  if (input.csrPem) {
    let csr: x509.Pkcs10CertificateRequest;
    try {
      csr = new x509.Pkcs10CertificateRequest(input.csrPem.trim());
    } catch {
      throw new CertificateInputError('The certificate signing request could not be parsed.');
    }
    if (!(await csr.verify()))
      throw new CertificateInputError('The certificate signing request is not self-signed.');
    publicKey = csr.publicKey;
  } else {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    publicKey = keys.publicKey;
    privateKeyPem = await exportPkcs8(keys.privateKey);
  }
  const now = Date.now();
  const notAfter = new Date(Math.min(now + input.validDays * DAY_MS, ca.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: commonName(input.subjectName),
    issuer: ca.subject,
    notBefore: new Date(now - 60_000),
    notAfter,
    signingAlgorithm: EC,
    publicKey,
    signingKey: await importSigningKey(input.caPrivateKeyPem),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  return { ...factsOf(cert), ...(privateKeyPem ? { privateKeyPem } : {}) };
}

/** Checks a CA certificate uploaded by an org: a CA, in its validity period. */
export function checkCertificateAuthority(pem: string): CertificateFacts {
  const { cert, ...facts } = parseCertificate(pem);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca)
    throw new CertificateInputError('The certificate is not a CA certificate (basicConstraints CA:TRUE).');
  if (facts.notAfter.getTime() <= Date.now())
    throw new CertificateInputError('The CA certificate has expired.');
  return facts;
}

/**
 * Checks a client certificate issued outside Pallet by one of the org's CAs: signed by it, valid now,
 * usable for TLS client authentication. Returns the facts and the CA's PEM it chains to.
 */
export async function checkIssuedBy(
  pem: string,
  caPems: string[],
): Promise<CertificateFacts & { caPem: string }> {
  const { cert, ...facts } = parseCertificate(pem);
  const now = new Date();
  if (facts.notAfter <= now || facts.notBefore > now)
    throw new CertificateInputError('The certificate is not valid now.');
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  if (eku && !eku.usages.includes(x509.ExtendedKeyUsage.clientAuth))
    throw new CertificateInputError(
      'The certificate is not for TLS client authentication (extendedKeyUsage).',
    );
  for (const caPem of caPems) {
    const ca = parseCertificate(caPem).cert;
    if (ca.subject !== cert.issuer) continue;
    if (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })) return { ...facts, caPem };
  }
  throw new CertificateInputError("The certificate was not issued by one of the org's client CAs.");
}
