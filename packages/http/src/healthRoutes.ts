import type { App, AppStatus } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import type { ControlRequest } from './ControlRequest';
import type { Route } from './Route';

/** How long `GET /readyz` waits for the run log before calling it unreachable. */
export const LOG_PROBE_MS = 3_000;

/** The paths `health: 'open'` serves without a token. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** The cluster part of both answers: role, since when, and the last store error. */
function cluster(status: AppStatus): Record<string, unknown> {
  return {
    role: status.role,
    since: status.since.toISOString(),
    ...(status.lastStoreError === undefined
      ? {}
      : {
          lastStoreError: {
            operation: status.lastStoreError.operation,
            message: status.lastStoreError.message,
            at: status.lastStoreError.at.toISOString(),
          },
        }),
  };
}

/**
 * `GET /healthz`: the process answers and its scheduler runs (200), or the app is not running
 * (503). Reports the loop's last pass and its age, so a probe can tell a stuck loop; the loop
 * passes when something falls due, so an idle app's last pass may be old.
 */
async function healthz(request: ControlRequest): Promise<void> {
  const status = request.app.status;
  const now = Date.now();
  await request.send(status.running ? 200 : 503, {
    status: status.running ? 'ok' : 'stopped',
    ...(status.lastPassAt === undefined
      ? {}
      : { lastPassAt: status.lastPassAt.toISOString(), lastPassAgeMs: now - status.lastPassAt.getTime() }),
    ...cluster(status),
  });
}

/** Reads one record from the run log, within {@link LOG_PROBE_MS}; the error if it cannot. */
async function probeLog(app: App): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      resolve(`no answer within ${String(LOG_PROBE_MS)} ms`);
    }, LOG_PROBE_MS);
  });
  try {
    return await Promise.race([app.logs.records({ limit: 1 }).then(() => undefined), timeout]);
  } catch (error) {
    return errorMessage(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /readyz`: the app runs and its run log answers (200, whether this process leads or stands
 * by: a standby serves the API and forwards runs to the leader), else 503 with the reason.
 */
async function readyz(request: ControlRequest): Promise<void> {
  const status = request.app.status;
  const logError = await probeLog(request.app);
  const ready = status.running && logError === undefined;
  await request.send(ready ? 200 : 503, {
    status: ready ? 'ready' : 'unavailable',
    running: status.running,
    log: logError === undefined ? { reachable: true } : { reachable: false, error: logError },
    ...cluster(status),
  });
}

/** The health routes: liveness and readiness, for probes and the dashboard's header. */
export const healthRoutes: readonly Route[] = [
  { method: 'GET', path: '/healthz', handle: healthz },
  { method: 'GET', path: '/readyz', handle: readyz },
];
