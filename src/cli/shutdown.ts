// When a long-running command (a server) should stop: SIGTERM or SIGINT, or, when npm launched it (`npx swe-srl
// serve`), its parent going away: npm exec does not pass SIGTERM on to the command it runs, so a server started
// through npx would otherwise outlive the process a user stopped.
export type ShutdownReason = NodeJS.Signals | 'parent exited';

/** Resolves with the first reason to stop. */
export function untilShutdown(o: { pollMs?: number } = {}): Promise<ShutdownReason> {
  return new Promise((resolve) => {
    const done = (why: ShutdownReason) => {
      clearInterval(timer);
      for (const [s, h] of handlers) process.off(s, h);
      resolve(why);
    };
    const handlers = (['SIGTERM', 'SIGINT'] as const).map((s) => [s, () => done(s)] as const);
    for (const [s, h] of handlers) process.once(s, h);
    const parent = process.ppid;
    // Only under npm: a server started with nohup or by a supervisor must survive its launcher.
    const watch = process.env.npm_command !== undefined || process.env.npm_lifecycle_event !== undefined;
    const timer = setInterval(() => {
      if (watch && process.ppid !== parent) done('parent exited');
    }, o.pollMs ?? 1000);
    timer.unref();
  });
}
