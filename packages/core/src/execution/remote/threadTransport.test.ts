import { threadExecArgv } from './threadTransport';

describe('threadExecArgv', () => {
  it('keeps the options that load code and drops the ones a worker thread rejects', () => {
    expect(
      threadExecArgv([
        '--expose-gc',
        '--max-old-space-size=8192',
        '--require',
        '/x/tsx/dist/preflight.cjs',
        '--import',
        'file:///x/tsx/dist/loader.mjs',
        '--title',
        'scheduler',
        '--enable-source-maps',
        '--conditions=development',
      ]),
    ).toEqual([
      '--require',
      '/x/tsx/dist/preflight.cjs',
      '--import',
      'file:///x/tsx/dist/loader.mjs',
      '--enable-source-maps',
      '--conditions=development',
    ]);
  });
});
