import { ApogeeError, type BackfillOptions, type BackfillReport } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import type { ControlRequest } from './ControlRequest';
import { HttpProblem } from './HttpProblem';
import type { Route } from './Route';

/** The media type of a streamed answer: one JSON object per line. */
export const NDJSON = 'application/x-ndjson';

const BODY =
  'a JSON object { from, to, concurrency? } with ISO 8601 dates, such as {"from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z"}';

/** The body as a JSON object, or a 400 describing the backfill's body (not a run's parameters). */
function bodyObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? undefined : JSON.parse(body);
  } catch (error) {
    throw new HttpProblem(400, `The body is not valid JSON: ${errorMessage(error)}. Send ${BODY}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got =
      parsed === undefined
        ? 'an empty body'
        : parsed === null
          ? 'null'
          : Array.isArray(parsed)
            ? 'an array'
            : `a ${typeof parsed}`;
    throw new HttpProblem(400, `The body must be ${BODY}; got ${got}.`);
  }
  return parsed as Record<string, unknown>;
}

/** `{ from, to, concurrency? }` from a request body, or a 400 saying what is wrong. */
function backfillBody(body: string): Pick<BackfillOptions, 'from' | 'to' | 'concurrency'> {
  const { from, to, concurrency, ...rest } = bodyObject(body);
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new HttpProblem(
      400,
      `Unknown field ${unknown.map((k) => `"${k}"`).join(', ')}: the body is { from, to, concurrency? }.`,
    );
  if (typeof from !== 'string' || typeof to !== 'string')
    throw new HttpProblem(
      400,
      'The body needs "from" and "to" as ISO 8601 dates, such as {"from": "2026-03-01T00:00:00Z", "to": "2026-03-08T00:00:00Z"}.',
    );
  if (concurrency !== undefined && typeof concurrency !== 'number')
    throw new HttpProblem(400, `"concurrency" must be a number, got ${JSON.stringify(concurrency)}.`);
  return { from, to, ...(concurrency === undefined ? {} : { concurrency }) };
}

/** The status an error of `task.backfill()` that came before any run answers with. */
function problemOf(error: unknown): unknown {
  if (!ApogeeError.is(error)) return error;
  // A bad range or a task without a time schedule is the request's fault; the app not running is not.
  const status = error.code === 'INVALID_CONFIGURATION' ? 400 : error.code === 'SCHEDULER_STATE' ? 409 : 503;
  return new HttpProblem(status, error.message, { code: error.code });
}

/**
 * `POST /tasks/:name/backfill`: runs `task.backfill({ from, to, concurrency? })`. The answer is its
 * report (200) once every run has ended; a client that accepts `application/x-ndjson` gets one
 * line per step instead, as it happens (`{"progress": report}`, then `{"report": report}` or
 * `{"error": message}`), which `apogee backfill` draws as a progress bar. A problem found before
 * any run (a bad range, a task without a time schedule) is a 400 either way.
 */
async function backfill(request: ControlRequest): Promise<void> {
  const target = request.task(request.param('name'));
  const options = backfillBody(await request.body());
  const streaming = (request.req.headers.accept ?? '').includes(NDJSON);
  const { res } = request;
  const line = (value: unknown): void => {
    if (!res.headersSent)
      res.writeHead(200, {
        'content-type': `${NDJSON}; charset=utf-8`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    res.write(`${JSON.stringify(value)}\n`);
  };
  let report: BackfillReport;
  try {
    report = await target.backfill({
      ...options,
      ...(streaming
        ? {
            onProgress: (progress: BackfillReport) => {
              line({ progress });
            },
          }
        : {}),
    });
  } catch (error) {
    if (!res.headersSent) throw problemOf(error);
    line({ error: error instanceof Error ? error.message : String(error) });
    res.end();
    return;
  }
  if (!streaming) {
    await request.send(200, { task: target.name, ...report });
    return;
  }
  line({ report });
  res.end();
}

/** The backfill route. */
export const backfillRoutes: readonly Route[] = [
  { method: 'POST', path: '/tasks/:name/backfill', handle: backfill },
];
