import { HttpProblem } from './HttpProblem';
import type { Route } from './Route';

/** A route found for a request, with its `:name` segments. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/** The path's segments, decoded; a malformed %-escape is the client's mistake, a 400. */
function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpProblem(400, `The path ${pathname} has a malformed %-escape in "${p}".`);
      }
    });
}

/** The parameters of `segments` against a route's pattern, or `undefined` when it does not match. */
function matchPath(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/**
 * The control API's routes, looked up by method and path. A path that some route has but not for
 * the request's method is a 405 naming the methods it has; a path no route has is a 404. `GET /`
 * lists every endpoint, so the list cannot drift from the routes.
 */
export class RouteTable {
  private readonly patterns: readonly (readonly string[])[];

  constructor(private readonly routes: readonly Route[]) {
    this.patterns = routes.map((r) => r.path.split('/').filter((p) => p !== ''));
  }

  /** Every endpoint as `METHOD /path`, in the table's order. */
  endpoints(): string[] {
    return this.routes.map((r) => `${r.method} ${r.path}`);
  }

  /** The route for `method` and `pathname`, or the 404 or 405 that says why there is none. */
  find(method: string, pathname: string): RouteMatch {
    const segments = pathSegments(pathname);
    const allowed: string[] = [];
    for (const [i, route] of this.routes.entries()) {
      const params = matchPath(this.patterns[i] as readonly string[], segments);
      if (params === undefined) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0)
      throw new HttpProblem(
        405,
        `${method} is not allowed on ${pathname}; use ${allowed.join(' or ')}.`,
        { allow: allowed },
        { allow: allowed.join(', ') },
      );
    throw new HttpProblem(404, `No such endpoint: ${method} ${pathname}. See GET / for the list.`);
  }
}
