import { TaskStateIndex } from '../log/TaskStateIndex';
import { endsRun, isRunAction, resetsFailures, RUN_ACTIONS, type RunAction } from './runActions';

describe('RUN_ACTIONS', () => {
  it('lists each action once, run first', () => {
    expect(RUN_ACTIONS[0]).toBe('run');
    expect(new Set(RUN_ACTIONS).size).toBe(RUN_ACTIONS.length);
  });

  it('recognises exactly its actions', () => {
    for (const action of RUN_ACTIONS) expect(isRunAction(action)).toBe(true);
    for (const other of ['crashed', 'RUN', '', undefined, 1, null]) expect(isRunAction(other)).toBe(false);
  });

  // The state index folds records with its own switch; the helpers that sqlite uses must agree.
  it.each(RUN_ACTIONS.map((a) => [a]))('means for %s what the state index does', (action: RunAction) => {
    const index = new TaskStateIndex();
    const record = (a: RunAction, runId: string) => ({
      taskName: 't',
      action: a,
      created: new Date(0),
      runId,
    });
    index.apply(record('run', '1'));
    index.apply(record('fail', '1'));
    index.apply(record('run', '2'));
    index.apply(record(action, action === 'run' ? '3' : '2'));
    const state = index.get('t');
    expect(state.consecutiveFails === 0).toBe(resetsFailures(action));
    expect(state.running).toBe(endsRun(action) ? 0 : 2);
  });
});
