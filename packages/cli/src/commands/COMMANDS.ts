import { backfill } from './backfill';
import type { Command } from './Command';
import { disable, enable } from './enableDisable';
import { logs } from './logs';
import { next } from './next';
import { run } from './run';
import { tasks } from './tasks';
import { terminate } from './terminate';
import { trigger } from './trigger';
import { why } from './why';

/** Every `apogee` command by its word (a Map: a word like "constructor" must not find anything). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['run', run],
  ['tasks', tasks],
  ['trigger', trigger],
  ['logs', logs],
  ['next', next],
  ['why', why],
  ['terminate', terminate],
  ['backfill', backfill],
  ['disable', disable],
  ['enable', enable],
]);
