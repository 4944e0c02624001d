// A Sandbox of files in memory, for tools that only read and write files (the windowed editors): commands do not
// run (exit 127, as a shell without the program), so helpers such as the linter report nothing.
import type { ExecResult, PatchResult, Sandbox, ShellSession } from '../sandbox/types.ts';

export class FileSandbox implements Sandbox {
  readonly id = 'file-sandbox';
  readonly scratchDir = '/tmp/.swe-srl';
  readonly files = new Map<string, string>();
  /** Every command that was asked to run, in order. */
  readonly commands: string[] = [];

  constructor(
    files: Record<string, string> = {},
    readonly workdir = '/testbed',
  ) {
    for (const [p, c] of Object.entries(files)) this.files.set(p, c);
  }

  async exec(command: string): Promise<ExecResult> {
    this.commands.push(command);
    return { exitCode: 127, output: '', timedOut: false, truncated: false, outputBytes: 0, durationMs: 0 };
  }

  async readFile(path: string): Promise<string> {
    const c = this.files.get(path);
    if (c === undefined) throw new Error(`no such file: ${path}`);
    return c;
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    this.files.set(path, typeof content === 'string' ? content : new TextDecoder().decode(content));
  }

  async applyPatch(): Promise<PatchResult> {
    return { applied: false, log: 'the file sandbox applies no patches' };
  }

  async diff(): Promise<string> {
    return '';
  }

  async openSession(): Promise<ShellSession> {
    throw new Error('the file sandbox has no shell');
  }

  async reset(): Promise<void> {
    this.files.clear();
  }

  async close(): Promise<void> {}
}
