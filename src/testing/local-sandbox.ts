// A SandboxProvider over temp folders on this host: each sandbox is a git repository of the task's tree at its base
// commit, commands run in a host bash there. No isolation and no Docker: it exists so the loops that drive
// sandboxes (agent episodes, replay, the harness's eval script, the serve environments) are tested without an
// engine. Only for tasks whose repository ships with them (bundled tasks: `source_dir`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EnvSpec } from '../config/env-spec.ts';
import type { EvalTask } from '../harness/image-provider.ts';
import type { SandboxProvider, TaskSandbox } from '../harness/sandbox-provider.ts';
import type { PreparedImage } from '../sandbox/images.ts';
import { patchApplyScript, workingTreeDiffCommand } from '../sandbox/shell-ops.ts';
import type { ExecOptions, ExecResult, PatchResult, Sandbox, SessionResult, SessionRunOptions, ShellSession } from '../sandbox/types.ts';
import { materializeRepo } from '../tasks/bundled.ts';
import { SweSrlError } from '../util/errors.ts';

export interface LocalSandboxOptions {
  /** The env spec of a task (e.g. an EnvRegistry's resolve). */
  spec: (task: EvalTask) => EnvSpec;
  /** Where sandboxes are made (default the OS temp folder). */
  root?: string;
}

export class LocalSandboxProvider implements SandboxProvider {
  /** Sandboxes opened and not yet closed. */
  readonly live = new Set<LocalSandbox>();

  constructor(private readonly o: LocalSandboxOptions) {}

  spec(task: EvalTask): EnvSpec {
    return this.o.spec(task);
  }

  async prepare(task: EvalTask): Promise<PreparedImage> {
    if (!task.source_dir)
      throw new SweSrlError({
        code: 'task_unsupported',
        message: `the local sandbox needs a task that ships its repository; ${task.instance_id} does not`,
        fault: 'user',
        hint: 'Use bundled tasks, or the Docker provider.',
      });
    return { image: `local:${task.instance_id}`, workdir: '', baseRef: task.base_commit, env: this.spec(task).env, built: false };
  }

  async open(task: EvalTask): Promise<TaskSandbox> {
    const image = await this.prepare(task);
    const dir = await mkdtemp(join(this.o.root ?? tmpdir(), 'swe-srl-local-'));
    const workdir = join(dir, 'testbed');
    await materializeRepo(task.source_dir!, workdir);
    const sandbox = new LocalSandbox(dir, workdir, image.baseRef, image.env, () => this.live.delete(sandbox));
    this.live.add(sandbox);
    return { sandbox, image: { ...image, workdir }, spec: this.spec(task) };
  }

  async reap(): Promise<number> {
    return 0;
  }
}

export class LocalSandbox implements Sandbox {
  readonly id: string;
  readonly scratchDir: string;
  private closed = false;

  constructor(
    private readonly dir: string,
    readonly workdir: string,
    private readonly baseRef: string,
    private readonly env: Record<string, string>,
    private readonly onClose: () => void,
  ) {
    this.id = `local-${randomBytes(4).toString('hex')}`;
    this.scratchDir = join(dir, 'scratch');
  }

  exec(command: string, o: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen();
    return runBash(command, { cwd: resolve(this.workdir, o.cwd ?? '.'), env: { ...this.env, ...o.env }, stdin: o.stdin, timeoutMs: o.timeoutMs ?? 60_000, maxOutputBytes: o.maxOutputBytes ?? 1 << 20 });
  }

  async readFile(path: string): Promise<string> {
    this.assertOpen();
    try {
      return await readFile(this.path(path), 'utf8');
    } catch {
      throw new SweSrlError({ code: 'file_not_found', message: 'no such file in the sandbox', fault: 'user', file: path });
    }
  }

  async writeFile(path: string, content: string | Uint8Array, o: { mode?: number } = {}): Promise<void> {
    this.assertOpen();
    const abs = this.path(path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content, { mode: o.mode });
  }

  async applyPatch(patch: string): Promise<PatchResult> {
    this.assertOpen();
    if (!patch.trim()) return { applied: false, log: 'empty patch' };
    const file = join(this.scratchDir, `patch-${randomBytes(6).toString('hex')}.diff`);
    await this.writeFile(file, patch.endsWith('\n') ? patch : `${patch}\n`);
    const script = patchApplyScript(file, patch);
    return script.parse((await this.exec(script.command, { timeoutMs: 300_000 })).output);
  }

  async diff(): Promise<string> {
    this.assertOpen();
    const r = await this.exec(workingTreeDiffCommand(this.baseRef), { maxOutputBytes: 256 << 20 });
    if (r.exitCode !== 0) throw new SweSrlError({ code: 'diff_failed', message: `git diff failed: ${r.output.slice(-500)}`, fault: 'environment' });
    return r.output;
  }

  async openSession(): Promise<ShellSession> {
    this.assertOpen();
    return new LocalSession(this.workdir, this.env);
  }

  async reset(): Promise<void> {
    this.assertOpen();
    await this.exec(`git reset -q --hard ${this.baseRef} && git clean -qfdx`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Paths in the repository resolve under the workdir; the harness's own absolute paths stay as given. */
  private path(p: string): string {
    return resolve(this.workdir, p);
  }

  private assertOpen(): void {
    if (this.closed) throw new SweSrlError({ code: 'sandbox_closed', message: 'the sandbox was closed', fault: 'internal' });
  }
}

/** One command in a fresh host bash; output interleaved and capped (head kept), killed at its time-out. */
function runBash(
  command: string,
  o: { cwd: string; env: Record<string, string>; stdin?: string; timeoutMs: number; maxOutputBytes: number },
): Promise<ExecResult> {
  const t0 = performance.now();
  return new Promise((done) => {
    const p = spawn('/bin/bash', ['-c', command], { cwd: o.cwd, env: { ...process.env, ...o.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    const take = (b: Buffer) => {
      total += b.length;
      if (kept < o.maxOutputBytes) {
        const part = b.subarray(0, o.maxOutputBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    };
    p.stdout.on('data', take);
    p.stderr.on('data', take);
    // A command that never reads its input may exit before the write lands: that is not an error.
    p.stdin.on('error', () => undefined);
    p.stdin.end(o.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, o.timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      done({
        exitCode: timedOut ? 137 : (code ?? 137),
        output: Buffer.concat(chunks).toString('utf8'),
        timedOut,
        truncated: total > kept,
        outputBytes: total,
        durationMs: Math.round(performance.now() - t0),
      });
    });
  });
}

/** A session as a sequence of fresh shells that carry the working directory and exported variables over. */
class LocalSession implements ShellSession {
  cwd: string;
  private exports = '';

  constructor(
    workdir: string,
    private readonly env: Record<string, string>,
  ) {
    this.cwd = workdir;
  }

  async run(command: string, o: SessionRunOptions = {}): Promise<SessionResult> {
    const mark = `__swe_srl_${randomBytes(6).toString('hex')}__`;
    const script = `${this.exports}\n${command}\n__rc=$?\necho; echo ${mark}; pwd; export -p; exit $__rc`;
    const r = await runBash(script, { cwd: this.cwd, env: this.env, stdin: '', timeoutMs: o.timeoutMs ?? 60_000, maxOutputBytes: 64 << 20 });
    const at = r.output.lastIndexOf(`\n${mark}\n`);
    let output = r.output;
    if (at >= 0) {
      const [cwd, ...exports] = r.output.slice(at + mark.length + 2).split('\n');
      if (cwd) this.cwd = cwd;
      this.exports = exports.filter((l) => l.startsWith('declare -x ')).join('\n');
      output = r.output.slice(0, at);
    }
    const max = o.maxOutputBytes ?? 1 << 20;
    const truncated = Buffer.byteLength(output) > max;
    if (truncated) output = Buffer.from(output).subarray(0, max).toString('utf8');
    return { ...r, output, truncated, outputBytes: Buffer.byteLength(output), cwd: this.cwd, restarted: false };
  }

  async close(): Promise<void> {}
}
