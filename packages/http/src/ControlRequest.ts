import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, ScheduledTask } from '@apogee/core';
import { closeNames } from '@apogee/core/internal';
import type { ControlLimits } from './ControlLimits';
import type { EventBroadcast } from './EventBroadcast';
import { HttpProblem } from './HttpProblem';
import { readBody } from './readBody';
import { sendJson } from './sendJson';

/** What every route of one control handler shares. */
export interface ControlContext {
  readonly app: App;
  readonly limits: ControlLimits;
  readonly events: EventBroadcast;
}

/** One request as a route sees it: the path below the mount, its parameters, and how to answer. */
export class ControlRequest {
  constructor(
    readonly context: ControlContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The request's path and query below the mount point (`/tasks?x=1` under `/apogee`). */
    readonly url: URL,
    /** The route's `:name` segments, decoded. */
    readonly params: Readonly<Record<string, string>>,
  ) {}

  get app(): App {
    return this.context.app;
  }

  /** The route parameter `name`; routes ask only for the ones their path declares. */
  param(name: string): string {
    const value = this.params[name];
    // A route asking for a parameter its path lacks is a bug of this package, not of the client.
    if (value === undefined)
      throw new HttpProblem(500, `The route ${this.url.pathname} has no parameter :${name}.`);
    return value;
  }

  /** The task named `name`, or a 404 with close names. */
  task(name: string): ScheduledTask {
    const found = this.app.session.findTask(name);
    if (found === undefined) {
      throw new HttpProblem(404, `Unknown task "${name}".`, {
        closeNames: closeNames(name, this.app.session.taskNames()),
      });
    }
    return found;
  }

  /** The body as text, within the handler's body limit. */
  body(): Promise<string> {
    return readBody(this.req, this.context.limits.bodyLimit);
  }

  /** Answers `body` as JSON (a large body in slices, see {@link sendJson}). */
  send(status: number, body: unknown, headers?: Readonly<Record<string, string>>): Promise<void> {
    return sendJson(this.res, status, body, headers);
  }
}
