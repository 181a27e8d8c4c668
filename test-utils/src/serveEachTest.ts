import type { App } from '@apogee/core';

/**
 * The lifecycle the control-server tests share: before each test, `build()` makes the test's own
 * app, which is run and given a server by `serve`; after it, the server is closed and the app shut
 * down. Call at the top of a test file; the callbacks keep the file's own `app` and server.
 */
export function serveEachTest(
  build: () => App,
  serve: (app: App) => Promise<{ close(): Promise<void> }>,
): void {
  let app: App;
  let server: { close(): Promise<void> };
  let done: Promise<void>;
  beforeEach(async () => {
    app = build();
    done = app.run({ handleSignals: false });
    server = await serve(app);
  });
  afterEach(async () => {
    await server.close();
    await app.shutdown();
    await done;
  });
}
