import 'reflect-metadata';
import { container } from 'tsyringe';
import type { OutputLine } from '../log/OutputLine';
import { Private } from './Private';
import { RunLoggerArg } from './RunLoggerArg';

describe('RunLoggerArg', () => {
  it('writes one line per call, at its level, with Private fields masked and the rest kept as plain data', () => {
    const lines: OutputLine[] = [];
    const log = new RunLoggerArg().produce({
      taskName: 'load',
      signal: new AbortController().signal,
      container,
      write: (line) => lines.push(line),
    });
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    log.info('loaded', { rows: 3, password: new Private('hunter2'), nested: { token: new Private(1) } });
    log.warn('odd', {
      at: new Date(0),
      amount: 10n,
      fn: function go() {},
      cycle,
      error: new RangeError('x'),
    });
    log.debug('plain');
    log.error('failed');
    expect(lines.map((l) => [l.level, l.message, l.fields])).toEqual([
      ['info', 'loaded', { rows: 3, password: '*****', nested: { token: '*****' } }],
      [
        'warn',
        'odd',
        {
          at: '1970-01-01T00:00:00.000Z',
          amount: '10',
          fn: '[function go]',
          cycle: { name: 'loop', self: '[Circular]' },
          error: { name: 'RangeError', message: 'x' },
        },
      ],
      ['debug', 'plain', undefined],
      ['error', 'failed', undefined],
    ]);
    expect(lines.every((l) => l.at instanceof Date)).toBe(true);
    expect(JSON.stringify(lines[0])).not.toContain('hunter2');
  });

  it('is refused outside a run (a condition check), naming the task and the fix', () => {
    expect(() =>
      new RunLoggerArg().produce({ taskName: 'gate', signal: new AbortController().signal, container }),
    ).toThrow(
      /@RunLogger\(\) was asked for outside a run of task "gate"[\s\S]*Fix: use @RunLogger\(\) on task methods only/,
    );
  });
});
