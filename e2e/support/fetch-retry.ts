// Retries a request once when a kept-alive connection was closed by the server just as it was reused
// (undici's "other side closed" race after a long pause, e.g. while apt or dnf runs). Tests only.
const original = globalThis.fetch;

function isStaleSocket(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } })?.cause;
  return cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET' || cause?.code === 'EPIPE';
}

export function retryStaleConnections(): void {
  globalThis.fetch = async (input, init) => {
    try {
      return await original(input, init);
    } catch (err) {
      if (!isStaleSocket(err)) throw err;
      return original(input, init);
    }
  };
}
