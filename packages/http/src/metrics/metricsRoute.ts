import type { ControlRequest } from '../ControlRequest';
import type { Route } from '../Route';
import { prometheusText } from './prometheusText';
import type { RunSeries } from './RunSeries';

/** The text format's media type; scrapers send `Accept` for it and read this one. */
const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `GET /metrics`: the run metrics of `series` in the Prometheus text format. */
export function metricsRoute(series: RunSeries): Route {
  return {
    method: 'GET',
    path: '/metrics',
    handle: (request: ControlRequest) => {
      request.res.writeHead(200, {
        'content-type': PROMETHEUS_TYPE,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      request.res.end(prometheusText(series));
    },
  };
}
