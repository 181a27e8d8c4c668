import { Replicas } from './Replicas';

/** One group of replicas and the name of the app they share. */
export interface ReplicaGroup {
  readonly group: Replicas;
  readonly name: string;
}

/**
 * For a fault test file: returns what starts a group of replicas of `script` under a fresh app
 * name (`prefix` and a count) with `env()` (read when the group is made, once the server runs)
 * and `env` of the call, and stops every group after each test.
 */
export function useReplicas(
  script: string,
  prefix: string,
  env: () => Readonly<Record<string, string>>,
): (extra?: Readonly<Record<string, string>>) => ReplicaGroup {
  const groups: Replicas[] = [];
  let n = 0;
  afterEach(async () => {
    await Promise.all(groups.splice(0).map((g) => g.stopAll()));
  });
  return (extra = {}) => {
    const name = `${prefix}${String(++n)}`;
    const group = new Replicas(script, { ...env(), APP_NAME: name, ...extra });
    groups.push(group);
    return { group, name };
  };
}
