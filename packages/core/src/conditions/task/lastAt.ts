import type { TaskStateView } from '../ConditionContext';
import type { RunAction } from '../runActions';

/** When a task last had a record of `action`, from its state. */
export function lastAt(s: TaskStateView, action: RunAction): number | undefined {
  switch (action) {
    case 'run':
      return s.lastRun;
    case 'success':
      return s.lastSuccess;
    case 'fail':
      return s.lastFail;
    case 'terminate':
      return s.lastTerminate;
    case 'inaction':
      return s.lastInaction;
    case 'crash':
      return s.lastCrash;
  }
}
