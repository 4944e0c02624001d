// A persistent bash session in a container: one long-lived `bash` exec with stdin attached. Each command travels
// base64-encoded to an `eval` (so a syntax error cannot swallow the protocol), and a per-command nonce sentinel
// carries its exit status and the shell's directory back. A time-out kills the command's processes and keeps the
// shell when it answers; otherwise the shell is replaced by a fresh one in the same directory, and the result says so.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { SweSrlError } from '../util/errors.ts';
import type { DockerEngine, ExecStream } from './docker-engine.ts';
import { OutputCap } from './output-cap.ts';
import type { SessionResult, SessionRunOptions, ShellSession } from './types.ts';

export interface DockerSessionOptions {
  engine: DockerEngine;
  containerId: string;
  workdir: string;
  /** Shell lines run once when the shell starts (e.g. activating a conda env). */
  prelude?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 1 << 20;
// How long a shell whose command was killed may take to answer before it is replaced.
const GRACE_MS = 3_000;

interface Pending {
  marker: string;
  cap: OutputCap;
  carry: string;
  after?: string;
  resolve: (r: { exitCode: number; cwd: string } | 'ended') => void;
}

/** Opens a session whose shell starts in `workdir`. */
export async function openDockerSession(opts: DockerSessionOptions): Promise<ShellSession> {
  const s = new DockerShellSession(opts);
  await s.start(opts.workdir);
  return s;
}

class DockerShellSession implements ShellSession {
  cwd: string;
  private token = '';
  private shellPid = '';
  private stream: ExecStream | undefined;
  private decoder = new StringDecoder('utf8');
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: DockerSessionOptions) {
    this.cwd = opts.workdir;
  }

  async start(cwd: string): Promise<void> {
    this.token = randomBytes(8).toString('hex');
    this.decoder = new StringDecoder('utf8');
    this.stream = await this.opts.engine.openStream(this.opts.containerId, {
      cmd: ['/bin/bash', '--noprofile', '--norc'],
      cwd,
      env: { SWE_SRL_SESSION_ID: this.token },
      onData: (b) => this.onData(b),
      onEnd: () => this.pending?.resolve('ended'),
    });
    // Merged stderr must be set in the shell itself, not inside a redirected eval (which would undo it).
    this.stream.write('exec 2>&1\n');
    const init = await this.runRaw(`${this.opts.prelude ?? ''}\necho "$$"`, { timeoutMs: 120_000, maxOutputBytes: 65536 });
    const pid = init.output.trim().split('\n').pop() ?? '';
    if (init.timedOut || !/^\d+$/.test(pid)) {
      throw new SweSrlError({
        code: 'session_start_failed',
        message: `the shell session did not start: ${init.output.slice(-500)}`,
        fault: 'environment',
      });
    }
    this.shellPid = pid;
  }

  run(command: string, o: SessionRunOptions = {}): Promise<SessionResult> {
    if (this.closed) {
      return Promise.reject(new SweSrlError({ code: 'session_closed', message: 'the shell session was closed', fault: 'internal' }));
    }
    const next = this.queue.then(() => this.runOne(command, o));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runOne(command: string, o: SessionRunOptions): Promise<SessionResult> {
    const r = await this.runRaw(command, o);
    if (r.ended || r.killShell) {
      const why = r.ended ? 'the shell exited' : `the command did not stop at its time-out`;
      await this.restart();
      const note = `\n[swe-srl: ${why}; a new shell session was started in ${this.cwd} (variables and functions were lost)]`;
      return { ...r, output: r.output + note, restarted: true, cwd: this.cwd };
    }
    return { ...r, restarted: false, cwd: this.cwd };
  }

  // Sends one command and waits for its sentinel, killing it at the time-out.
  private async runRaw(command: string, o: SessionRunOptions) {
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const nonce = randomBytes(8).toString('hex');
    const marker = `__SWE_SRL_DONE_${nonce}__`;
    const started = performance.now();
    const cap = new OutputCap(o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
    const done = new Promise<{ exitCode: number; cwd: string } | 'ended'>((resolve) => {
      this.pending = { marker, cap, carry: '', resolve };
    });
    const b64 = Buffer.from(command, 'utf8').toString('base64');
    // The marker is split in two so that its echo in the command line itself can never match.
    this.stream!.write(
      `eval "$(printf %s '${b64}' | base64 -d)" </dev/null; __swe_srl_rc=$?; ` +
        `printf '%s%s%s:%s\\n' '__SWE_SRL_DONE_' '${nonce}__' "$__swe_srl_rc" "$PWD"\n`,
    );
    let timedOut = false;
    let killShell = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let outcome = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      timedOut = true;
      await this.killCommand();
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), GRACE_MS);
      });
      outcome = await Promise.race([done, grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') killShell = true;
    }
    const p = this.pending;
    this.pending = undefined;
    if (p && p.after === undefined && p.carry) p.cap.push(Buffer.from(p.carry));
    const ended = outcome === 'ended';
    let exitCode = 137;
    if (typeof outcome === 'object') {
      exitCode = timedOut ? 137 : outcome.exitCode;
      this.cwd = outcome.cwd;
    } else if (ended && !timedOut) {
      exitCode = (await this.stream?.exitCode()) ?? 1;
    }
    return {
      exitCode,
      output: cap.text(),
      timedOut,
      truncated: cap.truncated,
      outputBytes: cap.total,
      durationMs: Math.round(performance.now() - started),
      ended,
      killShell,
    };
  }

  private onData(chunk: Buffer): void {
    const p = this.pending;
    if (!p) return;
    const text = this.decoder.write(chunk);
    if (p.after !== undefined) {
      p.after += text;
    } else {
      const all = p.carry + text;
      const at = all.indexOf(p.marker);
      if (at < 0) {
        // Keep enough of the end to find a marker split across chunks.
        const keep = Math.max(0, all.length - p.marker.length);
        if (keep > 0) p.cap.push(Buffer.from(all.slice(0, keep)));
        p.carry = all.slice(keep);
        return;
      }
      if (at > 0) p.cap.push(Buffer.from(all.slice(0, at)));
      p.carry = '';
      p.after = all.slice(at + p.marker.length);
    }
    const nl = p.after.indexOf('\n');
    if (nl < 0) return;
    const line = p.after.slice(0, nl);
    const colon = line.indexOf(':');
    p.resolve({ exitCode: Number(line.slice(0, colon)), cwd: line.slice(colon + 1) });
  }

  // Kills every process of this session except the shell itself (the command and what it started).
  private async killCommand(): Promise<void> {
    await this.killProcs(`[ "\${p#/proc/}" != ${this.shellPid || '0'} ]`);
  }

  private async killProcs(filter: string): Promise<void> {
    await this.opts.engine
      .exec(this.opts.containerId, {
        cmd: [
          '/bin/bash',
          '-c',
          `for p in /proc/[0-9]*; do grep -qsz "^SWE_SRL_SESSION_ID=${this.token}$" "$p/environ" && ${filter} && kill -9 "\${p#/proc/}" 2>/dev/null; done; true`,
        ],
        maxOutputBytes: 4096,
        deadlineMs: 30_000,
      })
      .catch(() => undefined);
  }

  private async restart(): Promise<void> {
    await this.killProcs('true');
    this.stream?.destroy();
    try {
      await this.start(this.cwd);
    } catch {
      // The folder may be gone (the command removed it): start over at the repository root.
      this.cwd = this.opts.workdir;
      await this.start(this.cwd);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.killProcs('true');
    this.stream?.destroy();
  }
}
