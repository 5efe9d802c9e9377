import { run } from '../post.js';

// Once post is done (or stopped), a late signal or a socket left by an aborted request does not
// change how it ends: it exits at once on a signal, else after a short flush at the latest.
void run().finally(() => {
  const exit = () => process.exit();
  process.on('SIGINT', exit);
  process.on('SIGTERM', exit);
  setTimeout(exit, 1_000).unref();
});
