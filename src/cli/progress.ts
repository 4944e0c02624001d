// Progress for long runs: a bar on a terminal, one line per finished item otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface Progress {
  /** One item finished; `label` says what became of it. */
  tick(label: string): void;
  stop(): void;
}

export function createProgress(opts: { total: number; title: string; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  let done = 0;
  if (!stream.isTTY) {
    return {
      tick(label) {
        done++;
        stream.write(`[${opts.title}] ${done}/${opts.total} ${label}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${opts.title} [{bar}] {value}/{total} {eta_formatted} {label}`, stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0, { label: '' });
  return {
    tick(label) {
      bar.increment(1, { label });
    },
    stop() {
      bar.stop();
    },
  };
}
