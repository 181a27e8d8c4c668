import type { TaskDefinition } from './TaskDefinition';

/**
 * The settled options of a task other than what names and calls it: how it runs and what its
 * policies are. Most tasks of an app leave every one of them to the config, so they share one
 * frozen settings object instead of each carrying its own copy (see {@link SettledTask}).
 */
export type TaskSettings = Omit<
  TaskDefinition,
  'name' | 'owner' | 'start' | 'end' | 'parameters' | 'signature' | 'invoke'
>;
