import { createTraceState, isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import type { RunContextCarrier } from '@apogee/core';

/*
 * The W3C Trace Context fields (https://www.w3.org/TR/trace-context/), written and read here so
 * that a run's context reaches its worker whether or not the user registered a propagator: only
 * the API is needed on either side. Version 00; a later version is read by its first four fields,
 * as the specification asks.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A span context as the `traceparent` and `tracestate` fields of a carrier. */
export function toCarrier(context: SpanContext): RunContextCarrier {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  const traceparent = `00-${context.traceId}-${context.spanId}-${flags}`;
  const tracestate = context.traceState?.serialize();
  return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
}

/** The remote span context a carrier describes, or `undefined` when its `traceparent` is missing or invalid. */
export function fromCarrier(carrier: RunContextCarrier): SpanContext | undefined {
  const match = TRACEPARENT.exec(carrier.traceparent?.trim() ?? '');
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // Version ff is forbidden; version 00 has exactly four fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const tracestate = carrier.tracestate;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16),
    isRemote: true,
    ...(tracestate === undefined ? {} : { traceState: createTraceState(tracestate) }),
  };
  return isSpanContextValid(context) ? context : undefined;
}
