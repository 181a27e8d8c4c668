/**
 * A Nest application whose services hold Apogee tasks. The report's schedule comes from
 * configuration (REPORT_SCHEDULE), the reports service gets its mailer by constructor
 * injection, and any service can inject `App` to trigger runs.
 *
 * Run it with a compiler that emits decorator metadata (Nest needs it; tsx does not emit it):
 *
 *   npx ts-node examples/src/nestjs/app.ts
 *   REPORT_SCHEDULE='every 5 seconds' npx ts-node examples/src/nestjs/app.ts
 *
 * Ctrl-C closes the Nest application (enableShutdownHooks), which lets a live run finish.
 */
import 'reflect-metadata';
import { Logger, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ENV, PRINT, ReportsModule } from './reports';

export { ReportRequests } from './reports';

/** The application context, with the print function and environment it runs against. */
export function createNestApp(
  print: (line: string) => void,
  env: Readonly<Record<string, string | undefined>>,
): Promise<INestApplicationContext> {
  @Module({
    imports: [ReportsModule],
    providers: [
      { provide: PRINT, useValue: print },
      { provide: ENV, useValue: env },
    ],
    exports: [PRINT, ENV],
  })
  class Environment {}
  // Nest's start-up lines would drown the example's output: errors and warnings only.
  Logger.overrideLogger(['error', 'warn']);
  return NestFactory.createApplicationContext({ module: Environment, global: true });
}

if (require.main === module) {
  createNestApp((line) => {
    console.log(line);
  }, process.env).then(
    (nest) => nest.enableShutdownHooks(),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
