import { errorMessage } from '@apogee/core/internal';
import { CliError, EXIT } from './CliError';

/** Talks to a running app's control API (`@apogee/http`). */
export class ControlClient {
  constructor(
    /** The control API's base URL (`--url`), e.g. `http://127.0.0.1:7070`. */
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }), ...extra };
  }

  /** Sends a request and returns the parsed JSON, or throws a `CliError` that says what went wrong. */
  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    if (!response.ok) refused(response, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON: report the text as it is.
      return text;
    }
  }

  /**
   * POSTs `body` to a route that answers one JSON object per line as it goes
   * (`application/x-ndjson`, such as `POST /tasks/:name/backfill`) and yields each line parsed.
   */
  async *postLines(path: string, body: unknown): AsyncGenerator {
    const response = await this.send('POST', path, body, { accept: 'application/x-ndjson' });
    if (!response.ok) refused(response, await response.text());
    if (response.body === null) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.trim() !== '') yield JSON.parse(line) as unknown;
      }
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    try {
      return await fetch(new URL(path, this.url), {
        method,
        headers: this.headers({
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new CliError(
        `Cannot reach the app at ${this.url} (${errorMessage(cause ?? error)}). Is it running with its control API (apogee run <file>, or serveControl(app, { port }))? Set --url or APOGEE_URL.`,
        EXIT.unreachable,
      );
    }
  }

  /** Yields each server-sent event of `GET /events` until the stream ends or `signal` aborts. */
  async *events(signal?: AbortSignal): AsyncGenerator<{ type: string; data: unknown }> {
    yield* await this.openEvents(signal);
  }

  /**
   * Connects to `GET /events` and resolves once the server has taken the stream: every event after
   * that is in it, so a run asked for afterwards cannot end unseen. Then yields each event until
   * the stream ends or `signal` aborts.
   */
  async openEvents(signal?: AbortSignal): Promise<AsyncGenerator<{ type: string; data: unknown }>> {
    let response: Response;
    try {
      response = await fetch(new URL('/events', this.url), {
        headers: this.headers(),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      throw new CliError(`Cannot reach the app at ${this.url} (${errorMessage(error)}).`, EXIT.unreachable);
    }
    if (response.status === 401)
      throw new CliError('The app refused the token: pass --token or set APOGEE_TOKEN.', EXIT.unauthorized);
    if (!response.ok) {
      // Too many streams (503), a refused host (403): the body says why.
      const text = await response.text();
      let reason = text;
      try {
        reason = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // Not JSON: report the text as it is.
      }
      throw new CliError(`${String(response.status)}: ${reason}`, EXIT.refused);
    }
    return readEvents(response);
  }
}

/** Throws the `CliError` for an answer that is not a success: a refused token, or the app's reason. */
function refused(response: Response, text: string): never {
  if (response.status === 401)
    throw new CliError(`The app refused the token: pass --token or set APOGEE_TOKEN.`, EXIT.unauthorized);
  let body: { error?: string; closeNames?: string[] } = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) body = parsed;
  } catch {
    // Not JSON: report the text as it is.
  }
  const close =
    body.closeNames !== undefined && body.closeNames.length > 0
      ? ` Did you mean ${body.closeNames.join(' or ')}?`
      : '';
  throw new CliError(`${String(response.status)}: ${body.error ?? text}${close}`, EXIT.refused);
}

/**
 * The events in `response`'s body. The generator is given the response itself, not only its body:
 * Node's fetch cancels the body of a response that is garbage collected while nobody reads it yet,
 * and the stream then just ends, silently. `trigger --wait` opens the stream, then sends its
 * request before it reads: a collection in between lost every event of the run.
 */
async function* readEvents(response: Response): AsyncGenerator<{ type: string; data: unknown }> {
  const body = response.body;
  if (body === null) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type !== undefined && data !== undefined) yield { type, data: JSON.parse(data) as unknown };
      end = buffer.indexOf('\n\n');
    }
  }
}
