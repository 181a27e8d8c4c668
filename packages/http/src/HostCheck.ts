import { hostname } from 'node:os';
import { HttpProblem } from './HttpProblem';

/** `[::1]` for an IPv6 address, so it compares with what a `Host` header holds. */
const bracketed = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** An IPv4 address as a dual-stack socket reports it (`::ffff:127.0.0.1`), written as IPv4. */
export const unmapped = (address: string): string => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** Host name and port of a `host[:port]` (or a URL), lower case; `undefined` when it is not one. */
function split(value: string, withScheme: boolean): { name: string; port: string } | undefined {
  try {
    const url = new URL(withScheme ? value : `http://${value}`);
    if (withScheme && url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
    return {
      name: url.hostname,
      port: url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port,
    };
  } catch {
    return undefined;
  }
}

/** The local end of a connection: the address and port the request arrived on. */
export interface LocalEnd {
  readonly address: string;
  readonly port: number;
}

/**
 * Which `Host` and `Origin` a request may carry. A browser page on another site can send requests
 * to the control API (a form, a `fetch` in `no-cors` mode), and a DNS-rebinding page can even read
 * the answers, with its own name in `Host`. So a request is served only when `Host` names the
 * server: at the port the connection arrived on, the address it arrived on, `localhost` or the
 * machine's name; or one of `allowedHosts`; and when `Origin`, if sent, is such a host. The
 * addresses come from the connection, not from how the server was bound, so the same check holds
 * for a handler mounted in a server it did not start.
 */
export class HostCheck {
  /** `name:port` pairs the server answers to. */
  private readonly exact = new Set<string>();
  /** Names from `allowedHosts` given without a port: any port (a proxy in front may change it). */
  private readonly anyPort = new Set<string>();

  constructor(local: LocalEnd, allowedHosts: readonly string[]) {
    const port = String(local.port);
    for (const name of ['localhost', hostname(), bracketed(unmapped(local.address))]) {
      const parsed = split(name, false);
      if (parsed !== undefined) this.exact.add(`${parsed.name}:${port}`);
    }
    for (const allowed of allowedHosts) {
      const parsed = split(allowed, false);
      if (parsed === undefined) continue;
      if (/:\d+$/.test(allowed)) this.exact.add(`${parsed.name}:${parsed.port}`);
      else this.anyPort.add(parsed.name);
    }
  }

  private allows(target: { name: string; port: string } | undefined): boolean {
    return (
      target !== undefined &&
      (this.exact.has(`${target.name}:${target.port}`) || this.anyPort.has(target.name))
    );
  }

  /** Throws a 403 unless the request's `Host` and `Origin` name this server. */
  check(host: string | undefined, origin: string | undefined): void {
    if (host === undefined || !this.allows(split(host, false))) {
      throw new HttpProblem(
        403,
        `The Host header "${host ?? ''}" does not name this server. If you reach it through another name (a proxy, a DNS name), add that name to allowedHosts.`,
      );
    }
    if (origin !== undefined && !this.allows(split(origin, true))) {
      throw new HttpProblem(
        403,
        `Requests from pages on other sites are refused (Origin "${origin}"). If that page is yours, add its host to allowedHosts.`,
      );
    }
  }
}
