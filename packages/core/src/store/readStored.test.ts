import { encodeRecord } from '../log/StoredRecord';
import { readRunRecord, readRunRecordValue, readStored, readStoredValue } from './readStored';
import { cancelShape, queueJobShape, relayEntryShape, taskStateShape } from './storedShapes';
import { MAX_CAUSE_DEPTH } from './wireErrorShape';

const problemOf = (read: object): string | undefined =>
  'problem' in read ? (read.problem as string) : undefined;

describe('readStored', () => {
  it('gives back a record it stored, and refuses one with a created that is not a number', () => {
    const record = {
      taskName: 't',
      action: 'success' as const,
      created: new Date(5),
      runId: 'r',
      returnValue: { a: 1 },
    };
    expect(readRunRecord(JSON.stringify(encodeRecord(record)))).toEqual({ value: record });
    expect(
      problemOf(readRunRecord('{"taskName":"t","action":"run","created":"not-a-date","runId":"r"}')),
    ).toBe('the value.created is a string, not a finite number');
    expect(problemOf(readRunRecord('{oops'))).toBe('is not valid JSON');
    expect(
      problemOf(readRunRecord('{"taskName":"t","action":"run","created":1,"runId":"r","parameters":"{"}')),
    ).toBe('the value.parameters is not valid JSON');
  });

  it('refuses task state whose last times are not numbers, and keeps __proto__ as data', () => {
    expect(
      problemOf(readStored(taskStateShape, '{"last":{"run":{"at":"x","sequence":1}},"consecutiveFails":0}')),
    ).toBe('the value.last.run.at is a string, not a finite number');
    expect(
      problemOf(
        readStored(taskStateShape, '{"last":{"__proto__":{"at":1,"sequence":1}},"consecutiveFails":0}'),
      ),
    ).toMatch(/not one of run, success/);
  });

  it('refuses a relay entry whose run id is not a string', () => {
    expect(
      problemOf(readStored(relayEntryShape, '{"kind":"run","taskName":"t","params":{},"runId":7}')),
    ).toBe('the value.runId is a number, not a string');
  });

  it('keeps a __proto__ key of job arguments an own property', () => {
    const read = readStored(
      queueJobShape,
      '{"taskName":"t","runId":"r","args":[{"__proto__":{"admin":true}}],"executing":[]}',
    );
    if (!('value' in read)) throw new Error(read.problem);
    const arg = read.value.args[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(Object.hasOwn(arg, '__proto__')).toBe(true);
    expect((arg as { admin?: unknown }).admin).toBeUndefined();
  });

  it('cuts a cause chain 20,000 deep instead of overflowing the stack', () => {
    let reason = '{"name":"Error","message":"0","fields":{}}';
    for (let i = 1; i < 20_000; i++)
      reason = `{"name":"Error","message":"${String(i)}","fields":{},"cause":${reason}}`;
    const read = readStored(cancelShape, `{"jobId":"j","reason":${reason}}`);
    if (!('value' in read)) throw new Error(read.problem);
    let depth = 0;
    for (let e: { cause?: unknown } | undefined = read.value.reason; e !== undefined; e = e.cause as typeof e)
      depth++;
    expect(depth).toBe(MAX_CAUSE_DEPTH);
  });

  it('refuses arguments nested deeper than the stack can follow', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect(
      problemOf(readStored(queueJobShape, `{"taskName":"t","runId":"r","args":[${deep}],"executing":[]}`)),
    ).toMatch(/nests deeper than/);
  });
});

describe('readStoredValue (a value the client parsed already: jsonb, BullMQ job data)', () => {
  it('names the type of valid JSON of the wrong type instead of calling it invalid JSON', () => {
    // pg hands back the jsonb string "just a string" as that JS string; BullMQ likewise.
    expect(problemOf(readRunRecordValue('just a string'))).toBe('the value is a string, not an object');
    expect(problemOf(readStoredValue(relayEntryShape, 'garbage'))).toBe(
      'the value is a string, not an object',
    );
    expect(problemOf(readStoredValue(queueJobShape, 'just a string'))).toBe(
      'the value is a string, not an object',
    );
    expect(problemOf(readStoredValue(queueJobShape, [1]))).toBe('the value is an array, not an object');
  });

  it('reads a parsed record like its text', () => {
    const stored = encodeRecord({ taskName: 't', action: 'run', created: new Date(5), runId: 'r' });
    expect(readRunRecordValue(JSON.parse(JSON.stringify(stored)))).toEqual(
      readRunRecord(JSON.stringify(stored)),
    );
  });
});

describe('readStored messages', () => {
  it('names the type of a JSON text of the wrong type', () => {
    expect(problemOf(readStored(relayEntryShape, '"garbage"'))).toBe('the value is a string, not an object');
  });

  it('says a missing field is missing, not that it "holds missing"', () => {
    expect(problemOf(readStored(relayEntryShape, '{"kind":"run","taskName":"t","runId":"r"}'))).toBe(
      'the value.params is missing',
    );
  });
});
