/**
 * `node dist/queueMain.js <runs> <seconds>`: measures section 10 (see queueSection.ts) and prints
 * `{ markdown, json }` as its last line, for run.ts.
 */
import { join } from 'node:path';
import { queueSection } from './queueSection';

const [runs = '3', seconds = '10'] = process.argv.slice(2);

queueSection({ dist: join(__dirname), runs: Number(runs), seconds: Number(seconds) }).then(
  (section) => {
    console.log(JSON.stringify(section));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
