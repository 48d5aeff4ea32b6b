// A local stand-in for AWS KMS at the protocol level: a node:http server speaking KMS's JSON 1.1 protocol
// (POST /, `X-Amz-Target: TrentService.<Operation>`) for GenerateDataKey, Encrypt and Decrypt, so tests run
// the real @aws-sdk/client-kms against it. Symmetric keys live in memory; a ciphertext blob is
// key id length | key id | nonce | tag | AES-256-GCM ciphertext, authenticated with the encryption context.
// It checks that requests are SigV4-signed but not the signature itself (no IAM here).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KmsCall {
  operation: string;
  keyId?: string;
  encryptionContext?: Record<string, string>;
}

export interface KmsStandIn {
  endpoint: string;
  /** creates a symmetric key and returns its id (a key ARN like real KMS) */
  createKey(): string;
  /** forgets a key: its ciphertexts no longer decrypt (a disabled/deleted KMS key) */
  disableKey(keyId: string): void;
  calls: KmsCall[];
  close(): Promise<void>;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startKmsStandIn(): Promise<KmsStandIn> {
  const keys = new Map<string, Buffer>();
  const calls: KmsCall[] = [];
  const contextAad = (context?: Record<string, string>) =>
    Buffer.from(
      JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    );
  const keyFor = (keyId: unknown): [string, Buffer] => {
    const key = typeof keyId === 'string' ? keys.get(keyId) : undefined;
    if (!key) throw new KmsError('NotFoundException', `Key '${String(keyId)}' does not exist`);
    return [keyId as string, key];
  };
  const encrypt = (keyId: string, key: Buffer, plaintext: Buffer, context?: Record<string, string>) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(contextAad(context));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId);
    return Buffer.concat([Buffer.of(id.length), id, nonce, cipher.getAuthTag(), ct]).toString('base64');
  };
  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GenerateDataKey(body) {
      const [keyId, key] = keyFor(body.KeyId);
      if (body.KeySpec !== 'AES_256' && body.NumberOfBytes !== 32) {
        throw new KmsError('ValidationException', 'KeySpec AES_256 expected');
      }
      const plaintext = randomBytes(32);
      const context = body.EncryptionContext as Record<string, string> | undefined;
      return {
        KeyId: keyId,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: encrypt(keyId, key, plaintext, context),
      };
    },
    Encrypt(body) {
      const [keyId, key] = keyFor(body.KeyId);
      const plaintext = Buffer.from(String(body.Plaintext ?? ''), 'base64');
      const context = body.EncryptionContext as Record<string, string> | undefined;
      return {
        KeyId: keyId,
        CiphertextBlob: encrypt(keyId, key, plaintext, context),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt(body) {
      const blob = Buffer.from(String(body.CiphertextBlob ?? ''), 'base64');
      const idLength = blob[0] ?? 0;
      const keyId = blob.subarray(1, 1 + idLength).toString();
      if (body.KeyId !== undefined && body.KeyId !== keyId) {
        throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the key');
      }
      const key = keys.get(keyId);
      if (!key) throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid');
      const rest = blob.subarray(1 + idLength);
      const decipher = createDecipheriv('aes-256-gcm', key, rest.subarray(0, 12));
      decipher.setAAD(contextAad(body.EncryptionContext as Record<string, string> | undefined));
      decipher.setAuthTag(rest.subarray(12, 28));
      try {
        const plaintext = Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]);
        return {
          KeyId: keyId,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      } catch {
        throw new KmsError('InvalidCiphertextException', 'The ciphertext is invalid');
      }
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
        const handler = operations[operation];
        if (req.method !== 'POST' || !handler) throw new KmsError('UnknownOperationException', target);
        if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
          throw new KmsError(
            'MissingAuthenticationTokenException',
            'Request is missing Authentication Token',
          );
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        calls.push({
          operation,
          keyId: typeof body.KeyId === 'string' ? body.KeyId : undefined,
          encryptionContext: body.EncryptionContext as Record<string, string> | undefined,
        });
        reply(200, handler(body));
      } catch (err) {
        const type = err instanceof KmsError ? err.type : 'KMSInternalException';
        reply(400, { __type: type, message: (err as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    createKey() {
      const keyId = `arn:aws:kms:us-east-1:000000000000:key/${randomBytes(16).toString('hex')}`;
      keys.set(keyId, randomBytes(32));
      return keyId;
    },
    disableKey(keyId) {
      keys.delete(keyId);
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
