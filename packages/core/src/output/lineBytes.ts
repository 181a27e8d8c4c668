import type { OutputLine } from '../log/OutputLine';

/** What a line costs against a run's byte bound: its message and its fields as JSON, in UTF-8. */
export function lineBytes(line: OutputLine): number {
  let bytes = Buffer.byteLength(line.message);
  if (line.fields !== undefined) {
    try {
      bytes += Buffer.byteLength(JSON.stringify(line.fields));
    } catch {
      // Fields JSON cannot hold (a cycle, a BigInt) are counted by their message alone; the store says more.
    }
  }
  return bytes;
}
