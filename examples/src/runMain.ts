import type { App } from '@apogee/core';

/**
 * Runs an example's app when its file is started directly (`tsx src/parameters/batch.ts`),
 * printing to the console until Ctrl-C. Tests import the same `createApp` instead.
 */
export function runMain(module: NodeJS.Module, createApp: (print: (line: string) => void) => App): void {
  if (require.main !== module) return;
  const app = createApp((line) => {
    console.log(line);
  });
  app.run().then(
    () => {
      console.log('stopped');
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
