// The Sandbox seam: what you do inside a task's environment. One implementation per backend (Docker here;
// a fake in src/testing). A non-zero exit is data, never an exception.

export interface ExecOptions {
  /** Kill the command (and everything it started) after this long. Default 60 s. */
  timeoutMs?: number;
  /** Working directory; default the repository root (/testbed). */
  cwd?: string;
  env?: Record<string, string>;
  /** Output kept, head and tail together; the middle is cut with a note. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Text fed to the command's standard input. */
  stdin?: string;
}

export interface ExecResult {
  /** The command's exit status; 137 when it was killed at its time-out. */
  exitCode: number;
  /** stdout and stderr, interleaved as they arrived, capped (see truncated). */
  output: string;
  timedOut: boolean;
  truncated: boolean;
  /** Bytes the command printed in all, kept or not. */
  outputBytes: number;
  durationMs: number;
}

export type PatchMethod = 'git apply' | 'git apply --reject' | 'patch --fuzz=5';

export interface PatchResult {
  applied: boolean;
  /** The method that applied it, when one did. */
  method?: PatchMethod;
  /** What each attempt printed. */
  log: string;
}

export interface Sandbox {
  readonly id: string;
  /** Repository root inside the sandbox. */
  readonly workdir: string;
  /** A folder outside the repository, private to this sandbox, for the harness's own files (patches, scripts). */
  readonly scratchDir: string;
  /** One-shot command in a fresh shell. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: string | Uint8Array, opts?: { mode?: number }): Promise<void>;
  /** Applies a unified diff at the repository root with SWE-bench's fallbacks. */
  applyPatch(patch: string): Promise<PatchResult>;
  /** The working tree's changes against the base commit, new files included (a git diff). */
  diff(): Promise<string>;
  /** A persistent bash session at the repository root: `cd`, variables and functions carry over between runs. */
  openSession(): Promise<ShellSession>;
  /** Back to the image's state: a fresh container from the same image. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface SandboxLimits {
  /** Memory limit in bytes; default 4 GiB. */
  memoryBytes?: number;
  /** CPUs (fractional allowed); default 2. */
  cpus?: number;
  /** Max processes; default 2048. */
  pids?: number;
  /**
   * Largest file a process may write, bytes (RLIMIT_FSIZE); default 8 GiB. Docker's overlay storage has no per-container
   * quota, so this keeps a runaway writer from filling the host's disk with one file; time-outs bound the rest.
   */
  fileSizeBytes?: number;
  /** Allow network access (off by default). */
  network?: boolean;
}

export interface SessionRunOptions {
  /** Kill the command after this long (default 60 s); the session survives, or is restarted and says so. */
  timeoutMs?: number;
  /** Output kept, head and tail together (default 1 MiB). */
  maxOutputBytes?: number;
}

export interface SessionResult extends ExecResult {
  /** The shell's working directory after the command. */
  cwd: string;
  /** True when the shell had to be started again (it exited, or a time-out could not be stopped otherwise). */
  restarted: boolean;
}

/** One long-lived bash (SWE-agent semantics): commands run one after another in the same shell. */
export interface ShellSession {
  /** Runs a command in the session; standard input is /dev/null, stderr is merged into the output. */
  run(command: string, opts?: SessionRunOptions): Promise<SessionResult>;
  /** The working directory after the last command. */
  readonly cwd: string;
  close(): Promise<void>;
}
