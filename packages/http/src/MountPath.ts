import { ConfigurationError } from '@apogee/core';

/** A mount prefix: segments of letters, digits and `-._~`, each after a slash. */
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/**
 * Where a control handler is mounted: `/apogee` serves `/apogee/tasks`, `/apogee/dashboard/`...,
 * and leaves every other path to the server it is mounted in. The prefix is written into the
 * dashboard's page, so it is limited to characters that need no escaping anywhere.
 */
export class MountPath {
  /** The prefix without a trailing slash; `''` at the root. */
  readonly prefix: string;

  constructor(path: string | undefined) {
    const prefix = (path ?? '').replace(/\/$/, '');
    if (!PREFIX.test(prefix) || prefix.split('/').some((s) => s === '.' || s === '..'))
      throw new ConfigurationError(
        'control handler path',
        path,
        "a path such as '/apogee': segments of letters, digits, '-', '.', '_' and '~', each after a slash",
      );
    this.prefix = prefix;
  }

  /**
   * The path of a request target below the prefix (`/` for the prefix itself), or `undefined` when
   * the target is outside it. A target that is not a path (the absolute form
   * `http://evil.example/tasks`, `*`) is never inside: the handler answers it with a 400.
   */
  inside(target: string): string | undefined {
    if (!target.startsWith('/')) return undefined;
    const path = target.split(/[?#]/, 1)[0] ?? '';
    if (path === this.prefix) return `/${target.slice(path.length)}`;
    if (!target.startsWith(`${this.prefix}/`)) return undefined;
    return target.slice(this.prefix.length);
  }

  /** Whether an absolute-form target (`http://host/apogee/tasks`) names a path inside the prefix. */
  insideAbsolute(target: string): boolean {
    try {
      return this.inside(new URL(target).pathname) !== undefined;
    } catch {
      return false;
    }
  }
}
