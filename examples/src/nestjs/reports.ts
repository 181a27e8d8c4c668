import { App, Arg, Task, fromParam } from '@apogee/core';
import { ApogeeModule } from '@apogee/nestjs';
import { Inject, Injectable, Module } from '@nestjs/common';

export const PRINT = 'PRINT';
export const ENV = 'ENV';

/** Configuration read from the environment, with defaults (a stand-in for @nestjs/config). */
@Injectable()
export class ConfigService {
  constructor(@Inject(ENV) private readonly env: Readonly<Record<string, string | undefined>>) {}
  get(key: string, fallback: string): string {
    return this.env[key] ?? fallback;
  }
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
export class ConfigModule {}

@Injectable()
export class Mailer {
  constructor(@Inject(PRINT) private readonly print: (line: string) => void) {}
  send(to: string, text: string): void {
    this.print(`mail to ${to}: ${text}`);
  }
}

/** A Nest service: Nest builds it, Apogee runs its tasks on that instance. */
@Injectable()
export class Reports {
  private sent = 0;
  constructor(private readonly mailer: Mailer) {}

  @Task({ start: fromParam('reportSchedule') })
  report(@Arg('recipient') recipient: string) {
    this.sent++;
    this.mailer.send(recipient, `report #${String(this.sent)}`);
  }
}

/** Any service (or controller) can inject App: here, to send a report on request. */
@Injectable()
export class ReportRequests {
  constructor(private readonly app: App) {}
  requestNow(recipient: string): void {
    this.app.session.get('report').run({ recipient });
  }
}

@Module({
  imports: [
    ConfigModule,
    ApogeeModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        params: {
          reportSchedule: config.get('REPORT_SCHEDULE', 'every 10 seconds'),
          recipient: config.get('REPORT_RECIPIENT', 'ops@example.com'),
        },
      }),
    }),
  ],
  providers: [Mailer, Reports, ReportRequests],
})
export class ReportsModule {}
