import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * A CPU profile of one measured window, written to the file named by `BENCH_PROFILE` (nothing
 * happens without it). `node --cpu-prof` profiles the whole process, where a scenario's set-up
 * (queuing 400,000 batches, compiling) hides what a run costs in steady state.
 */
export interface WindowProfile {
  /** Stops profiling and writes the profile; resolves at once when not profiling. */
  stop(): Promise<void>;
}

/** Starts profiling now when `BENCH_PROFILE` names a file. */
export async function profileWindow(): Promise<WindowProfile> {
  const file = process.env.BENCH_PROFILE;
  if (file === undefined || file === '') return { stop: () => Promise.resolve() };
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      session.post(method, (error, result) => {
        if (error === null) resolve(result);
        else reject(error);
      });
    });
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
