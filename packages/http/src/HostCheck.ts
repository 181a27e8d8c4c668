import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { HttpProblem } from './HttpProblem';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** `[::1]` for an IPv6 address, so it compares with what a `Host` header holds. */
const bracketed = (address: string): string => (address.includes(':') ? `[${address}]` : address);

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

/**
 * Which `Host` and `Origin` a request may carry. A browser page on another site can send requests
 * to the control API (a form, a `fetch` in `no-cors` mode), and a DNS-rebinding page can even read
 * the answers, with its own name in `Host`. So a request is served only when `Host` names the
 * server: its bound address or `localhost` at its port (every local address and the machine's name
 * when bound to all interfaces), or one of `allowedHosts`; and when `Origin`, if sent, is such a host.
 */
export class HostCheck {
  /** `name:port` pairs the server answers to. */
  private readonly exact = new Set<string>();
  /** Names from `allowedHosts` given without a port: any port (a proxy in front may change it). */
  private readonly anyPort = new Set<string>();

  constructor(address: AddressInfo, configuredHost: string, allowedHosts: readonly string[]) {
    const port = String(address.port);
    const names = ['localhost', bracketed(address.address), configuredHost];
    if (WILDCARD.has(address.address) || WILDCARD.has(configuredHost)) {
      names.push(hostname());
      for (const entries of Object.values(networkInterfaces()))
        for (const entry of entries ?? []) names.push(bracketed(entry.address));
    }
    for (const name of names) {
      const parsed = split(name.includes(':') && !name.startsWith('[') ? `[${name}]` : name, false);
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
        `The Host header "${host ?? ''}" does not name this server. If you reach it through another name (a proxy, a DNS name), add that name to serveControl's allowedHosts.`,
      );
    }
    if (origin !== undefined && !this.allows(split(origin, true))) {
      throw new HttpProblem(
        403,
        `Requests from pages on other sites are refused (Origin "${origin}"). If that page is yours, add its host to serveControl's allowedHosts.`,
      );
    }
  }
}
