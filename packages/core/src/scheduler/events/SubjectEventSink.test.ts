import { Subject } from 'rxjs';
import type { SchedulerEvent } from './SchedulerEvent';
import { SubjectEventSink } from './SubjectEventSink';

describe('SubjectEventSink', () => {
  it('passes events to the subject, and listens only while someone subscribes', () => {
    const subject = new Subject<SchedulerEvent>();
    const sink = new SubjectEventSink(subject);
    expect(sink.listening).toBe(false);
    const seen: string[] = [];
    const subscription = subject.subscribe((e) => seen.push(e.type));
    expect(sink.listening).toBe(true);
    sink.notify({ type: 'schedulerStarted', at: new Date(0) });
    subscription.unsubscribe();
    expect(sink.listening).toBe(false);
    expect(seen).toEqual(['schedulerStarted']);
  });
});
