// The TCP peer's address, handed to route handlers in the `x-pallet-peer` request header: Next.js route
// handlers never see the socket, and the X-Forwarded-For Next.js fills in keeps whatever a client sent.
// Every incoming request gets the header overwritten from its socket before any listener (Next.js or a
// custom server) sees it, so a client-sent `x-pallet-peer` is never believed.
// The one exception is the Next.js child behind the front process (src/front): it listens on a unix
// socket only the front can reach (0700 directory), so the front's stamp on a request that came over
// such a socket (no remote address) is kept.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

export const PEER_HEADER = 'x-pallet-peer';

/** Set by the front for its Next.js child: requests over a unix socket carry the front's stamp. */
export const BEHIND_FRONT_ENV = 'PALLET_BEHIND_FRONT';

export function stampPeerAddress(req: IncomingMessage): void {
  const remote = req.socket?.remoteAddress;
  if (remote === undefined && process.env[BEHIND_FRONT_ENV] === '1') {
    const stamped = req.headers[PEER_HEADER];
    req.headers[PEER_HEADER] = typeof stamped === 'string' ? stamped : '';
    return;
  }
  req.headers[PEER_HEADER] = remote ?? '';
}

const REQUEST_EVENTS = new Set<string | symbol>(['request', 'checkContinue', 'checkExpectation']);
const INSTALLED = Symbol.for('pallet.peerAddressStamp');

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** Wraps every HTTP(S) server's event dispatch in this process; called once from instrumentation.ts. */
export function stampPeerAddresses(): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as Record<
    string | symbol,
    unknown
  >[]) {
    if (proto[INSTALLED]) continue;
    const emit = proto.emit as Emit;
    proto.emit = function emitWithPeer(this: unknown, event: string | symbol, ...args: unknown[]) {
      if (REQUEST_EVENTS.has(event)) stampPeerAddress(args[0] as IncomingMessage);
      return emit.call(this, event, ...args);
    } satisfies Emit;
    proto[INSTALLED] = true;
  }
}
