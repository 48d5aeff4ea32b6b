// The fingerprint of a certificate the edge passes on, for every download with a client certificate.
// Node's own X.509 parser, not @peculiar/x509: the download path (the web front) then never loads that
// library, which only CA and certificate management need (~10–20 MiB of RSS once loaded).
import { createHash, X509Certificate } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** SHA-256 of the DER of exactly one PEM certificate (the form nginx passes on), or null when it is not one. */
export function fingerprintOfPem(pem: string): string | null {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length !== 1) return null;
  try {
    return createHash('sha256').update(new X509Certificate(blocks[0]!).raw).digest('hex');
  } catch {
    return null;
  }
}
