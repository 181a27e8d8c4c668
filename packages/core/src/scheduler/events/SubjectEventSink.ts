import type { Subject } from 'rxjs';
import type { EventSink } from './EventSink';
import type { SchedulerEvent } from './SchedulerEvent';

/** An {@link EventSink} that feeds an rxjs `Subject` (what `app.events` exposes as an Observable). */
export class SubjectEventSink implements EventSink {
  constructor(private readonly subject: Subject<SchedulerEvent>) {}

  notify(event: SchedulerEvent): void {
    this.subject.next(event);
  }

  get listening(): boolean {
    return this.subject.observed;
  }
}
