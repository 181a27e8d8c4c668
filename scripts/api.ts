/**
 * Checks each package's public surface against its committed API report (`packages/*\/etc/`),
 * with API Extractor reading the built `.d.ts` (run `pnpm build` first; `pnpm api` does).
 *
 *   tsx scripts/api.ts            check: fails when a report is missing or differs (CI)
 *   tsx scripts/api.ts --update   rewrite the reports; review and commit them with the change
 *
 * Every `api-extractor*.json` in a package is one entry point with its own report, so core's
 * internal entry is pinned too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(__dirname, '..');
const update = process.argv.includes('--update');

const configs = readdirSync(join(root, 'packages'))
  .flatMap((pkg) => {
    const dir = join(root, 'packages', pkg);
    return readdirSync(dir)
      .filter((f) => /^api-extractor(\.[a-z-]+)?\.json$/.test(f))
      .map((f) => join(dir, f));
  })
  .sort();

const failed: string[] = [];
for (const file of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(file);
  const name = relative(root, file);
  if (!existsSync(config.mainEntryPointFilePath)) {
    failed.push(
      `${name}: ${relative(root, config.mainEntryPointFilePath)} is missing; run pnpm build first.`,
    );
    continue;
  }
  if (update) mkdirSync(config.reportFolder, { recursive: true });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  const report = config.reportConfigs
    .map((r) => relative(root, join(config.reportFolder, r.fileName)))
    .join(', ');
  if (!result.succeeded) {
    if (result.apiReportChanged) {
      // Show what changed, so a CI log alone says which signature moved.
      for (const r of config.reportConfigs) {
        const committed = join(config.reportFolder, r.fileName);
        const generated = join(config.reportTempFolder, r.fileName);
        if (existsSync(committed)) spawnSync('diff', ['-u', committed, generated], { stdio: 'inherit' });
      }
    }
    failed.push(
      result.apiReportChanged
        ? `${name}: the public API differs from ${report}. If the change is intended, run pnpm api:update and commit the report.`
        : `${name}: ${String(result.errorCount)} errors, ${String(result.warningCount)} warnings (see above).`,
    );
  } else if (result.apiReportChanged) {
    console.log(`${report}: updated; review and commit it.`);
  }
  failed.push(...forgottenExports(config.reportConfigs.map((r) => join(config.reportFolder, r.fileName))));
}

/**
 * A public signature naming a type its entry point does not export leaks an internal part (and
 * users cannot name it): each such report line is a failure, so the surface stays pinned.
 */
function forgottenExports(reports: readonly string[]): string[] {
  return reports.filter(existsSync).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('(ae-forgotten-export)'))
      .map(
        (line) =>
          `${relative(root, file)}: ${line.replace(/^\s*\/\/ Warning: \(ae-forgotten-export\) /, '')}; export it from that entry point or keep it out of its signatures.`,
      ),
  );
}

if (failed.length > 0) {
  console.error(`\nAPI check failed:\n${failed.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`API reports ${update ? 'written' : 'match'}: ${String(configs.length)} entry points.`);
