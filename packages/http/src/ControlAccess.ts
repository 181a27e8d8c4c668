import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HostCheck, unmapped } from './HostCheck';
import { HttpProblem } from './HttpProblem';

/** Loopback addresses and names: what only this machine can reach. */
export const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

/** Headers a reverse proxy adds: a request carrying one was relayed from somewhere else. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/** Host checks kept per local address and port; more than this (never in practice) starts over. */
const MAX_HOST_CHECKS = 64;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Who may use the control API. Every request, token or not, must name this server in `Host` and
 * come from no other site's page (`Origin`, see {@link HostCheck}). Then, with a token, it must
 * send `Authorization: Bearer <token>`. Without one, it must have been made on this machine: the
 * connection arrived on a loopback address (which only this machine can reach, whatever else the
 * server listens on) and carries no header a reverse proxy adds. A handler mounted in another
 * framework's server does not know where that server listens; deciding per connection keeps a
 * tokenless API closed to the network even when the server listens on every interface.
 */
export class ControlAccess {
  private readonly expected: Buffer | undefined;
  private readonly hostChecks = new Map<string, HostCheck>();

  constructor(
    token: string | undefined,
    private readonly allowedHosts: readonly string[],
  ) {
    this.expected = token === undefined || token === '' ? undefined : digest(token);
  }

  /** Throws a 403 unless `Host` and `Origin` name this server. */
  checkHost(req: IncomingMessage): void {
    const address = req.socket.localAddress ?? '';
    const port = req.socket.localPort ?? 0;
    const key = `${address}|${String(port)}`;
    let check = this.hostChecks.get(key);
    if (check === undefined) {
      if (this.hostChecks.size >= MAX_HOST_CHECKS) this.hostChecks.clear();
      check = new HostCheck({ address, port }, this.allowedHosts);
      this.hostChecks.set(key, check);
    }
    check.check(req.headers.host, req.headers.origin);
  }

  /** Throws a 401 unless the request carries the token, or needs none (see the class). */
  checkToken(req: IncomingMessage): void {
    if (this.expected === undefined) {
      if (isLocal(req)) return;
      throw new HttpProblem(
        401,
        'This control API has no token, so it serves only requests made on this machine (to a loopback address, not relayed by a proxy); set a token to reach it from elsewhere and send it as "Authorization: Bearer <token>".',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    // The scheme is case-insensitive (RFC 9110); the token is not.
    const given = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    // Compare digests: equal length, constant time, and the token's length does not leak.
    if (!timingSafeEqual(digest(given), this.expected)) {
      throw new HttpProblem(
        401,
        'Missing or wrong token: send "Authorization: Bearer <token>".',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
  }
}

/** Whether a request was made on this machine: it reached a loopback address, and no proxy relayed it. */
function isLocal(req: IncomingMessage): boolean {
  return (
    LOOPBACK.test(unmapped(req.socket.localAddress ?? '')) &&
    LOOPBACK.test(unmapped(req.socket.remoteAddress ?? '')) &&
    FORWARDING_HEADERS.every((name) => req.headers[name] === undefined)
  );
}
