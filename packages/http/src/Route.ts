import type { ControlRequest } from './ControlRequest';

/** One endpoint of the control API. */
export interface Route {
  readonly method: 'GET' | 'POST';
  /** Segments, literal or `:name` (`/tasks/:name/run`); `:name` matches any one segment. */
  readonly path: string;
  /** Answers the request, or throws an `HttpProblem`. */
  handle(request: ControlRequest): void | Promise<void>;
}
