// `node dist/main.js`: the README's way, `await app.run()` at the top level of an ES module.
import app from './app.js';

await app.run();
console.log('stopped');
