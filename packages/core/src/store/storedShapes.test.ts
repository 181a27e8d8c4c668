import { readStored } from './readStored';
import { relayEntryShape } from './storedShapes';

describe('relayEntryShape', () => {
  it("keeps a backfill run's scheduledAt, so the leader runs it for its instant", () => {
    const entry = { kind: 'run', taskName: 't', params: {}, runId: 'r', scheduledAt: 1_767_236_400_000 };
    expect(readStored(relayEntryShape, JSON.stringify(entry))).toEqual({ value: entry });
  });

  it('reads a run without scheduledAt as before, and refuses one that is not a number', () => {
    const plain = { kind: 'run', taskName: 't', params: {}, runId: 'r' };
    const read = readStored(relayEntryShape, JSON.stringify(plain));
    expect(read).toEqual({ value: plain });
    expect('value' in read && Object.hasOwn(read.value, 'scheduledAt')).toBe(false);
    const bad = readStored(relayEntryShape, JSON.stringify({ ...plain, scheduledAt: 'yesterday' }));
    expect(bad).toMatchObject({ problem: expect.stringMatching(/scheduledAt/) as unknown });
  });
});
