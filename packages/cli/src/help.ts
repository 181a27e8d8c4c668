const COMMON = `Common options (before or after the command):
  --url <url>      the app's control API (default: $APOGEE_URL or http://127.0.0.1:7070)
  --token <token>  bearer token, if the API requires one (default: $APOGEE_TOKEN); it shows
                   in process listings, so prefer --token-file or $APOGEE_TOKEN
  --token-file <f> read the token from the first line of file <f>
  --json           print JSON instead of tables
  -h, --help       this help`;

const EXITS = `Exit codes: 0 done, 1 the app refused (unknown task, bad input), 2 bad command line,
3 the app cannot be reached, 4 wrong or missing token, 5 the run waited for (--wait) failed,
6 it was terminated.`;

/** The help text of the command and of each subcommand. */
export const HELP: Readonly<Record<string, string>> = {
  main: `apogee: run and control Apogee apps

Usage: apogee [options] <command> [options]

Commands:
  run <app file>            start an app (a module exporting an App) with its control API
  tasks                     list tasks: status, last and next run, condition
  why <task>                why a task runs or not: its start condition as a tree
  trigger <task>            run a task now, with --param key=value batch parameters; --wait
                            follows the run to its end
  terminate <task>          stop the task's running runs
  disable <task>            stop starting the task on its condition (runs asked for still run)
  enable <task>             start it on its condition again
  backfill <task>           run the task once per instant its schedule had in a past range
                            (--from, --to), skipping instants that already have a run
  logs [task]               show run records; --follow streams new ones; --run <id> a run's output
  next [n]                  what runs next (default 10)

Run "apogee <command> --help" for a command's options.

${EXITS}`,
  run: `Usage: apogee run <app file> [--port 7070] [--host 127.0.0.1] [--token <token>]
                 [--allowed-host <name> ...]

Loads <app file>, which must export an App as its default export or as "app", starts its control
API and runs it until Ctrl-C or SIGTERM. Each failed run is printed as it happens (task, run id,
error). JavaScript may be CommonJS or an ES module (top-level await included); TypeScript is
compiled by SWC with decorator metadata, CommonJS or ES module, whatever TypeScript version the
project has (5, 6 or 7); it is not type-checked (run tsc for that).
Binding to anything but loopback requires a token: --token-file <file> or $APOGEE_TOKEN
(--token works too, but every process listing shows it for as long as the app runs). The API
answers only requests addressed to its own address or localhost; --allowed-host adds a name it is reached by (a DNS name, a proxy).`,
  tasks: `Usage: apogee tasks [options]

Lists the app's tasks with their status, last run, next run and start condition.

${COMMON}`,
  why: `Usage: apogee why <task> [options]

Shows why <task> runs or not: its start condition as a tree, each part marked ✓ (holds now) or
✗ (does not), with the reason where there is one and the next instant it can become true. Also
says when the task is disabled, running, or has runs queued.

${COMMON}`,
  trigger: `Usage: apogee trigger <task> [--param key=value ...] [--wait] [options]

Queues one run of <task> with the given batch parameters (the highest level). A value is read as
JSON when it parses (--param n=3, --param tags='["a"]'), else as a string (--param user=ada).
Every key is passed as written, "__proto__" included.
--wait follows that run to its end: a progress bar while it reports progress (@Progress()), else
the time elapsed; then its outcome. It exits 0 when the run succeeded (or had nothing to do), 5
when it failed and 6 when it was terminated, with the error shown.

${COMMON}`,
  terminate: `Usage: apogee terminate <task> [options]

Terminates the running runs of <task>: their @Signal() aborts and they are recorded as terminate.

${COMMON}`,
  disable: `Usage: apogee disable <task> [options]

Disables <task>: it no longer starts on its condition (runs queued with trigger still run).

${COMMON}`,
  enable: `Usage: apogee enable <task> [options]

Enables <task> again: it starts whenever its condition holds.

${COMMON}`,
  logs: `Usage: apogee logs [task] [--action <action>] [--limit <n>] [--follow] [options]
       apogee logs --run <runId> [--follow] [options]

Shows run records, oldest first (the last --limit, default 20). --follow then prints events
as they happen until Ctrl-C.

With --run, shows that run's own output instead (what it wrote through @RunLogger(), or to the
console of its thread or process worker): time, level, message and fields, one line each.
--follow then prints its lines as it writes them, until it ends.

${COMMON}`,
  backfill: `Usage: apogee backfill <task> --from <date> --to <date> [--concurrency n] [options]

Runs <task> once for each instant its time schedule (cron, every, a period such as daily at 03:00)
had in [--from, --to), oldest first, each with its instant as @ScheduledAt(). Instants that
already have a run are skipped, so running it again runs nothing new. Dates are ISO 8601
(2026-03-01, 2026-03-01T06:00:00Z); --to may not be after now. --concurrency runs that many at
once, for a task whose overlap is 'allow'. A progress bar shows the instants done; then the
report. Exits 0 when no run failed, 5 when one did.

${COMMON}`,
  next: `Usage: apogee next [n] [options]

Shows the next n predicted runs (default 10). Tasks that wait for another task, a custom
condition or an observable are not predictable and not listed.

${COMMON}`,
};
