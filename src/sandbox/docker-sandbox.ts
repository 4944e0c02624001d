// The Docker backend of the Sandbox interface: one long-lived container per sandbox, commands through exec.
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { SweSrlError } from '../util/errors.ts';
import type { DockerEngine } from './docker-engine.ts';
import { trackLive } from './lifecycle.ts';
import { openDockerSession } from './docker-session.ts';
import { patchApplyScript, workingTreeDiffCommand } from './shell-ops.ts';
import type { ExecOptions, ExecResult, PatchResult, Sandbox, SandboxLimits, ShellSession } from './types.ts';

export interface DockerSandboxOptions {
  engine: DockerEngine;
  image: string;
  /** Repository root inside the image. */
  workdir?: string;
  /** Git ref of the unmodified repository, for diff(). */
  baseRef?: string;
  /** Environment for every command. */
  env?: Record<string, string>;
  /** Shell lines run before every command (e.g. activating a conda env in official SWE-bench images). */
  prelude?: string;
  limits?: SandboxLimits;
  labels?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 1 << 20;
// Commands longer than this go through a file: one argv string may not exceed 128 KiB on Linux.
const MAX_INLINE_COMMAND = 96 * 1024;
// In-container wrapper: run the command under `timeout`; on a time-out also kill what escaped its process group
// (setsid, daemons), found by a per-exec token in the environment.
const WRAPPER = `rc=0
env SWE_SRL_EXEC_ID="$SWE_SRL_TOKEN" timeout -s KILL "$SWE_SRL_TIMEOUT" /bin/bash -c "$1" || rc=$?
if [ "$rc" = 137 ]; then
  for p in /proc/[0-9]*; do
    grep -qsz "^SWE_SRL_EXEC_ID=$SWE_SRL_TOKEN\\$" "$p/environ" && kill -9 "\${p#/proc/}" 2>/dev/null
  done
fi
exit $rc`;

/** Starts a container from `image` and returns a Sandbox over it. */
export async function createDockerSandbox(opts: DockerSandboxOptions): Promise<Sandbox> {
  const sb = new DockerSandbox(opts);
  await sb.start();
  return sb;
}

class DockerSandbox implements Sandbox {
  readonly workdir: string;
  readonly scratchDir = '/tmp/.swe-srl';
  private containerId = '';
  private untrack: () => void = () => undefined;
  private closed = false;
  private sessions = new Set<ShellSession>();

  constructor(private readonly opts: DockerSandboxOptions) {
    this.workdir = opts.workdir ?? '/testbed';
  }

  get id(): string {
    return this.containerId;
  }

  async start(): Promise<void> {
    const l = this.opts.limits ?? {};
    this.containerId = await this.opts.engine.startContainer({
      image: this.opts.image,
      labels: this.opts.labels,
      env: this.opts.env,
      workdir: this.workdir,
      memoryBytes: l.memoryBytes ?? 4 * 1024 ** 3,
      cpus: l.cpus ?? 2,
      pids: l.pids ?? 2048,
      fileSizeBytes: l.fileSizeBytes ?? 8 * 1024 ** 3,
      network: l.network ?? false,
    });
    const id = this.containerId;
    this.untrack = trackLive(id, () => this.opts.engine.removeContainer(id));
  }

  async exec(command: string, o: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen();
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const token = randomBytes(8).toString('hex');
    let script = this.opts.prelude ? `${this.opts.prelude}\n${command}` : command;
    if (script.length > MAX_INLINE_COMMAND) {
      const path = `${this.scratchDir}/cmd-${token}.sh`;
      await this.opts.engine.putFile(this.containerId, { path, content: script });
      script = `. ${path}`;
    }
    const raw = await this.opts.engine.exec(this.containerId, {
      cmd: ['/bin/bash', '-c', WRAPPER, 'swe-srl-exec', script],
      cwd: o.cwd ? posix.resolve(this.workdir, o.cwd) : this.workdir,
      env: { ...o.env, SWE_SRL_TOKEN: token, SWE_SRL_TIMEOUT: String(timeoutMs / 1000) },
      stdin: o.stdin,
      maxOutputBytes: o.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
      // Backstop on the host in case the in-container time-out cannot end the stream (a stuck engine).
      deadlineMs: timeoutMs + 15_000,
      onDeadline: () => this.killByToken(token),
    });
    const exitCode = raw.exitCode ?? 137;
    return {
      exitCode,
      output: raw.output,
      timedOut: raw.deadlineHit || (exitCode === 137 && raw.durationMs >= timeoutMs),
      truncated: raw.truncated,
      outputBytes: raw.outputBytes,
      durationMs: Math.round(raw.durationMs),
    };
  }

  private async killByToken(token: string): Promise<void> {
    await this.opts.engine
      .exec(this.containerId, {
        cmd: [
          '/bin/bash',
          '-c',
          `for p in /proc/[0-9]*; do grep -qsz "^SWE_SRL_EXEC_ID=${token}$" "$p/environ" && kill -9 "\${p#/proc/}"; done; true`,
        ],
        maxOutputBytes: 4096,
      })
      .catch(() => undefined);
  }

  async readFile(path: string): Promise<string> {
    this.assertOpen();
    const abs = posix.resolve(this.workdir, path);
    const buf = await this.opts.engine.getFile(this.containerId, abs);
    if (!buf) {
      throw new SweSrlError({ code: 'file_not_found', message: `no such file in the sandbox`, fault: 'user', file: abs });
    }
    return buf.toString('utf8');
  }

  async writeFile(path: string, content: string | Uint8Array, o: { mode?: number } = {}): Promise<void> {
    this.assertOpen();
    await this.opts.engine.putFile(this.containerId, { path: posix.resolve(this.workdir, path), content, mode: o.mode });
  }

  async applyPatch(patch: string): Promise<PatchResult> {
    this.assertOpen();
    if (!patch.trim()) return { applied: false, log: 'empty patch' };
    const digest = createHash('sha256').update(patch).digest('hex').slice(0, 16);
    const file = `${this.scratchDir}/patch-${digest}.diff`;
    // A patch must end with a newline or git apply calls it corrupt at the last line.
    await this.writeFile(file, patch.endsWith('\n') ? patch : `${patch}\n`);
    const script = patchApplyScript(file, patch);
    return script.parse((await this.exec(script.command, { timeoutMs: 300_000 })).output);
  }

  async diff(): Promise<string> {
    this.assertOpen();
    const r = await this.exec(workingTreeDiffCommand(this.opts.baseRef ?? 'HEAD'), { maxOutputBytes: 256 << 20, timeoutMs: 120_000 });
    if (r.exitCode !== 0) {
      throw new SweSrlError({
        code: 'diff_failed',
        message: `git diff against ${this.opts.baseRef ?? 'HEAD'} failed: ${r.output.slice(-500)}`,
        fault: 'environment',
      });
    }
    return r.output;
  }

  async openSession(): Promise<ShellSession> {
    this.assertOpen();
    const s = await openDockerSession({
      engine: this.opts.engine,
      containerId: this.containerId,
      workdir: this.workdir,
      prelude: this.opts.prelude,
    });
    this.sessions.add(s);
    return s;
  }

  private async closeSessions(): Promise<void> {
    const all = [...this.sessions];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close().catch(() => undefined)));
  }

  async reset(): Promise<void> {
    this.assertOpen();
    await this.closeSessions();
    this.untrack();
    await this.opts.engine.removeContainer(this.containerId);
    await this.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.closeSessions();
    this.closed = true;
    this.untrack();
    await this.opts.engine.removeContainer(this.containerId);
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new SweSrlError({ code: 'sandbox_closed', message: 'the sandbox was closed', fault: 'internal' });
    }
  }
}
