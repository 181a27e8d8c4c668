import { typescriptLoaderName } from './typescriptLoaderName';

describe('typescriptLoaderName', () => {
  const execArgv = [...process.execArgv];
  afterEach(() => {
    process.execArgv.splice(0, process.execArgv.length, ...execArgv);
  });

  it('names tsx, which emits no decorator metadata, when the process runs under it', () => {
    process.execArgv.push('--import', 'tsx');
    expect(typescriptLoaderName()).toBe('tsx (esbuild, which emits no decorator metadata)');
  });

  it('falls back to the test runner under jest', () => {
    expect(typescriptLoaderName()).toBe("the test runner's transformer");
  });
});
