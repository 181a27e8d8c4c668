#!/usr/bin/env node
// The installed command. It is a file in the package rather than dist/bin.js itself so that the
// link pnpm makes at install exists even in a fresh clone of the workspace, before the build.
'use strict';
try {
  require.resolve('../dist/bin.js');
} catch {
  console.error(
    'apogee: @apogee/cli is not built (no dist/bin.js). Run "pnpm build" in the workspace first.',
  );
  process.exit(1);
}
require('../dist/bin.js');
