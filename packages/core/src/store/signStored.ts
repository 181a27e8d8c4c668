import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { RelayedRequest } from '../scheduler/cluster/RequestRelay';
import type { StoredQueueJob } from './storedShapes';

/**
 * The `secret` option of `redis()`, `postgres()` and `bullmq()`: one secret, or several while
 * rotating (the first signs, any of them verifies).
 */
export type StoreSecret = string | readonly string[];

/**
 * What a signature is for: a value signed for one purpose is refused for another, so a signed
 * return value cannot be replayed as a relayed request.
 */
export type SignedPurpose = 'relay' | 'job' | 'return';

/**
 * The secrets of a `secret` option, checked: `[]` when none was given. `where` names the option
 * in the error (`redis({ name: 'billing' }) secret`).
 */
export function storeSecrets(secret: StoreSecret | undefined, where: string): readonly string[] {
  if (secret === undefined) return [];
  const list: readonly unknown[] =
    typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [secret];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length < 16))
    throw new ConfigurationError(
      where,
      // Never the secrets themselves: an error message may end up in a log.
      typeof secret === 'string'
        ? `a string of ${String(secret.length)} characters`
        : Array.isArray(secret)
          ? `a list of ${String(secret.length)}`
          : typeof secret,
      'a string of at least 16 characters, or a non-empty list of them (the first signs; any verifies, for rotation)',
    );
  return list as readonly string[];
}

const hmac = (secret: string, purpose: SignedPurpose, payload: string): Buffer =>
  createHmac('sha256', secret).update(`apogee:${purpose}\n`).update(payload).digest();

/** The HMAC-SHA256 (base64url) of `payload` for `purpose`, with the first secret. */
export function signStored(secrets: readonly string[], purpose: SignedPurpose, payload: string): string {
  const [first] = secrets;
  if (first === undefined) throw new Error('signStored: no secret to sign with');
  return hmac(first, purpose, payload).toString('base64url');
}

/** True if `signature` is `payload`'s HMAC for `purpose` under any of `secrets` (compared in constant time). */
export function verifyStored(
  secrets: readonly string[],
  purpose: SignedPurpose,
  payload: string,
  signature: unknown,
): boolean {
  if (typeof signature !== 'string') return false;
  const given = Buffer.from(signature, 'base64url');
  return secrets.some((secret) => {
    const expected = hmac(secret, purpose, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/*
 * What is signed of each kind of value: a fixed layout (an array, so field order cannot vary)
 * built from the fields that decide what runs, so that signer and verifier compute the same text.
 */

/** The signed text of a relayed request. */
export function relayPayload(request: RelayedRequest): string {
  switch (request.kind) {
    case 'run':
      // `scheduledAt` only when present, so a request without it signs as before (entries already
      // in a store, or sent by an instance not yet upgraded, still verify).
      return JSON.stringify(
        request.scheduledAt === undefined
          ? [request.kind, request.taskName, request.runId, request.params]
          : [request.kind, request.taskName, request.runId, request.params, request.scheduledAt],
      );
    case 'emission':
      return JSON.stringify([request.kind, request.taskName, request.index, request.value]);
    case 'terminate':
      return JSON.stringify([request.kind, request.taskName]);
  }
}

/**
 * A relayed request as a store keeps it: without `maxBatches` (the relay's bound, not part of
 * the request), with its HMAC when the app has secrets.
 */
export function relayEntry(
  request: RelayedRequest,
  secrets: readonly string[],
): Readonly<Record<string, unknown>> {
  const stored: Record<string, unknown> = { ...request };
  delete stored.maxBatches;
  if (secrets.length > 0) stored.signature = signStored(secrets, 'relay', relayPayload(request));
  return stored;
}

/** The signed text of a queue job's data. */
export function jobPayload(job: Omit<StoredQueueJob, 'signature'>): string {
  return JSON.stringify([job.taskName, job.runId, job.args, job.executing]);
}

/** The signed text of a task's stored return value (JSON), bound to the task. */
export function returnPayload(taskName: string, returnValue: string): string {
  return JSON.stringify([taskName, returnValue]);
}
