import { queueJobShape } from '../../store/storedShapes';
import { readCarrier } from './readCarrier';

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('readCarrier', () => {
  it('keeps a carrier of header-like names to strings, as a fresh object', () => {
    const source = { traceparent, tracestate: 'congo=t61rcWkgMzE' };
    const read = readCarrier(source);
    expect(read).toEqual(source);
    expect(read).not.toBe(source);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an array', [traceparent]],
    ['a field that is not a string', { traceparent: 7 }],
    ['a field name that is not a header name', { 'trace parent': traceparent }],
    ['a __proto__ key (own data, as JSON.parse makes it)', JSON.parse(`{"__proto__":"x"}`) as unknown],
    ['a value far longer than a trace context', { traceparent: 'x'.repeat(8_193) }],
    ['too many fields', Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${String(i)}`, 'v']))],
  ])('drops %s', (_what, value) => {
    expect(readCarrier(value)).toBeUndefined();
  });
});

describe('queueJobShape', () => {
  const job = { taskName: 'report', runId: 'r1', args: [], executing: [] };

  it('reads a job with its trace context', () => {
    expect(queueJobShape({ ...job, trace: { traceparent } }, 'job')).toEqual({
      ...job,
      trace: { traceparent },
    });
  });

  it('reads a job whose trace context is not one without it: the job still runs', () => {
    expect(queueJobShape({ ...job, trace: 'garbage' }, 'job')).toEqual(job);
  });
});
