import type { EventSink } from '../scheduler/events/EventSink';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import type { AppLog } from './AppLog';

/**
 * The app's event path with its log on it: each event is shown to the {@link AppLog} (which
 * writes the lines some deserve) before it is emitted, whether or not anyone listens.
 */
export class LoggedEventSink implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly log: AppLog,
  ) {}

  notify(event: SchedulerEvent): void {
    this.log.event(event);
    this.inner.notify(event);
  }

  get listening(): boolean {
    return this.inner.listening;
  }
}
