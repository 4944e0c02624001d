// The only module that imports dockerode: a narrow wrapper over the engine (containers, exec, files, images),
// mapping engine errors to SweSrlError. Exec output is demultiplexed (Tty: false) into one capped stream.
import Docker from 'dockerode';
import { PassThrough, Readable } from 'node:stream';
import { hostname } from 'node:os';
import tar from 'tar-stream';
import { copyTarEntries } from './tar-copy.ts';
import { isSweSrlError, SweSrlError } from '../util/errors.ts';
import { OutputCap } from './output-cap.ts';

export const LABEL_MANAGED = 'swe-srl.managed';
export const LABEL_OWNER = 'swe-srl.owner';
export const LABEL_HOST = 'swe-srl.host';

export interface CreateContainerOptions {
  image: string;
  name?: string;
  labels?: Record<string, string>;
  env?: Record<string, string>;
  workdir?: string;
  memoryBytes: number;
  cpus: number;
  pids: number;
  /** RLIMIT_FSIZE of every process in the container. */
  fileSizeBytes: number;
  network: boolean;
}

export interface RawExecOptions {
  cmd: string[];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  maxOutputBytes: number;
  /** Host-side deadline: past it the stream is abandoned and `onDeadline` runs (to kill in-container processes). */
  deadlineMs?: number;
  onDeadline?: () => Promise<void>;
}

export interface RawExecResult {
  exitCode: number | null;
  output: string;
  truncated: boolean;
  outputBytes: number;
  durationMs: number;
  deadlineHit: boolean;
}

export interface StreamExecOptions {
  cmd: string[];
  cwd?: string;
  env?: Record<string, string>;
  onData: (chunk: Buffer) => void;
  /** Called once when the process's output stream ends (it exited or was killed). */
  onEnd: () => void;
}

/** A running process with stdin attached (a shell session). */
export interface ExecStream {
  write(text: string): void;
  destroy(): void;
  readonly ended: boolean;
  /** The exit status once it has ended (null while running or unknown). */
  exitCode(): Promise<number | null>;
}

export interface BuildImageOptions {
  tag: string;
  labels?: Record<string, string>;
  /** Files of the build context: path -> content; directories come as tar streams via `contextTars`. */
  files: Record<string, string>;
  /** Extra tar archives whose entries are added under a prefix (e.g. the repository under testbed/). */
  trees?: Array<{ prefix: string; tar: Readable }>;
  network?: 'default' | 'host' | 'none';
  onLog?: (line: string) => void;
}

/** Who owns a container: this process on this host (used to reap leftovers of dead runs). */
export function ownerLabels(): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_OWNER]: String(process.pid), [LABEL_HOST]: hostname() };
}

function engineError(op: string, e: unknown): SweSrlError {
  const err = e as { statusCode?: number; code?: string; message?: string; json?: { message?: string } };
  const detail = err.json?.message ?? err.message ?? String(e);
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES') {
    return new SweSrlError({
      code: 'engine_unavailable',
      message: `cannot reach the Docker engine during ${op}: ${detail}`,
      fault: 'environment',
      retryable: true,
      hint: 'Start it with `npm run setup` (or point DOCKER_HOST at a running engine).',
      cause: e,
    });
  }
  if (err.statusCode === 404) {
    return new SweSrlError({ code: 'not_found', message: `${op}: ${detail}`, fault: 'environment', cause: e });
  }
  return new SweSrlError({
    code: 'engine_error',
    message: `${op} failed: ${detail}`,
    fault: 'environment',
    retryable: (err.statusCode ?? 0) >= 500,
    cause: e,
  });
}

export class DockerEngine {
  readonly docker: Docker;

  constructor(opts?: Docker.DockerOptions) {
    this.docker = new Docker(opts);
  }

  /** Fails with engine_unavailable when no engine answers. */
  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (e) {
      throw engineError('ping', e);
    }
  }

  /** The image's id and labels, or undefined when it does not exist. */
  async inspectImage(ref: string): Promise<{ id: string; labels: Record<string, string> } | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      return { id: info.Id, labels: (info.Config?.Labels as Record<string, string> | null) ?? {} };
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw engineError(`inspect image ${ref}`, e);
    }
  }

  /** Pulls an image from its registry (for engines that reach one). */
  async pullImage(ref: string, onLog?: (line: string) => void): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(ref);
    } catch (e) {
      throw engineError(`pull ${ref}`, e);
    }
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err) => (err ? reject(engineError(`pull ${ref}`, err)) : resolve()),
        (ev: { status?: string; id?: string }) => ev.status && onLog?.(`${ev.id ?? ''} ${ev.status}`.trim()),
      );
    });
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.docker.getImage(ref).remove({ force: true });
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw engineError(`remove image ${ref}`, e);
    }
  }

  /** Builds an image from an in-memory context; rejects with the build log's tail on failure. */
  async buildImage(opts: BuildImageOptions): Promise<void> {
    const pack = tar.pack();
    for (const [name, content] of Object.entries(opts.files)) pack.entry({ name, mode: 0o644 }, content);
    const lines: string[] = [];
    // The engine must read the context while it is being written: a pack nobody reads stops taking entries once
    // its buffer is full, so the request starts first and the trees are copied into it as it flows.
    const request = this.docker.buildImage(pack as unknown as NodeJS.ReadableStream, {
      t: opts.tag,
      labels: opts.labels ?? {},
      rm: true,
      forcerm: true,
      networkmode: opts.network ?? 'default',
    });
    let stream: NodeJS.ReadableStream;
    try {
      for (const tree of opts.trees ?? []) await copyTarEntries(tree.tar, pack, tree.prefix);
      pack.finalize();
      stream = await request;
    } catch (e) {
      request.catch(() => undefined);
      pack.destroy();
      throw isSweSrlError(e) ? e : engineError(`build image ${opts.tag}`, e);
    }
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err, res) => {
          const failed = err ?? (res as Array<{ error?: string }>).find((r) => r.error)?.error;
          if (!failed) return resolve();
          reject(
            new SweSrlError({
              code: 'image_build_failed',
              message: `building ${opts.tag} failed: ${String(failed)}\n${lines.slice(-30).join('\n')}`,
              fault: 'environment',
            }),
          );
        },
        (ev: { stream?: string; error?: string; status?: string }) => {
          const text = ev.stream ?? ev.error ?? ev.status;
          if (!text) return;
          for (const line of text.split('\n')) {
            if (!line.trim()) continue;
            lines.push(line);
            opts.onLog?.(line);
          }
        },
      );
    });
  }

  /** Creates and starts a long-lived container (`sleep infinity` under an init that reaps zombies). */
  async startContainer(opts: CreateContainerOptions): Promise<string> {
    try {
      const c = await this.docker.createContainer({
        Image: opts.image,
        name: opts.name,
        Cmd: ['sleep', 'infinity'],
        Labels: { ...ownerLabels(), ...opts.labels },
        Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
        WorkingDir: opts.workdir,
        Tty: false,
        NetworkDisabled: !opts.network,
        HostConfig: {
          Init: true,
          NetworkMode: opts.network ? 'bridge' : 'none',
          Memory: opts.memoryBytes,
          MemorySwap: opts.memoryBytes,
          NanoCpus: Math.round(opts.cpus * 1e9),
          PidsLimit: opts.pids,
          Ulimits: [{ Name: 'fsize', Soft: opts.fileSizeBytes, Hard: opts.fileSizeBytes }],
          AutoRemove: false,
        },
      });
      await c.start();
      return c.id;
    } catch (e) {
      throw engineError(`start a container from ${opts.image}`, e);
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (e) {
      const code = (e as { statusCode?: number }).statusCode;
      if (code !== 404 && code !== 409) throw engineError(`remove container ${id.slice(0, 12)}`, e);
    }
  }

  /** Containers carrying our managed label, with their labels. */
  async listManaged(): Promise<Array<{ id: string; labels: Record<string, string> }>> {
    try {
      const list = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
      return list.map((c) => ({ id: c.Id, labels: c.Labels }));
    } catch (e) {
      throw engineError('list containers', e);
    }
  }

  /** Runs a process in a container; output demultiplexed into one capped stream; never throws on exit status. */
  async exec(containerId: string, opts: RawExecOptions): Promise<RawExecResult> {
    const started = performance.now();
    const container = this.docker.getContainer(containerId);
    let exec: Docker.Exec;
    let stream: NodeJS.ReadWriteStream;
    try {
      exec = await container.exec({
        Cmd: opts.cmd,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: opts.stdin !== undefined,
        Tty: false,
        WorkingDir: opts.cwd,
        Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      });
      stream = (await exec.start({ hijack: true, stdin: opts.stdin !== undefined })) as NodeJS.ReadWriteStream;
    } catch (e) {
      throw engineError('exec', e);
    }
    const cap = new OutputCap(opts.maxOutputBytes);
    const sink = new PassThrough();
    sink.on('data', (b: Buffer) => cap.push(b));
    this.docker.modem.demuxStream(stream, sink, sink);
    if (opts.stdin !== undefined) {
      (stream as NodeJS.WritableStream).write(opts.stdin);
      (stream as unknown as { end: () => void }).end?.();
    }
    let deadlineHit = false;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
      if (opts.deadlineMs !== undefined) {
        timer = setTimeout(() => {
          deadlineHit = true;
          void (opts.onDeadline?.() ?? Promise.resolve()).finally(() => {
            (stream as unknown as { destroy: () => void }).destroy();
            resolve();
          });
        }, opts.deadlineMs);
      }
    });
    let exitCode: number | null = null;
    try {
      const info = await exec.inspect();
      exitCode = info.Running ? null : info.ExitCode;
    } catch {
      exitCode = null;
    }
    return {
      exitCode,
      output: cap.text(),
      truncated: cap.truncated,
      outputBytes: cap.total,
      durationMs: performance.now() - started,
      deadlineHit,
    };
  }

  /** Starts a long-lived process with stdin attached; its demultiplexed output arrives through `onData`. */
  async openStream(containerId: string, opts: StreamExecOptions): Promise<ExecStream> {
    const container = this.docker.getContainer(containerId);
    let stream: NodeJS.ReadWriteStream;
    let execRef: Docker.Exec | undefined;
    try {
      const exec = await container.exec({
        Cmd: opts.cmd,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: true,
        Tty: false,
        WorkingDir: opts.cwd,
        Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      });
      stream = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream;
      execRef = exec;
    } catch (e) {
      throw engineError('exec (stream)', e);
    }
    const sink = new PassThrough();
    sink.on('data', (b: Buffer) => opts.onData(b));
    this.docker.modem.demuxStream(stream, sink, sink);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      opts.onEnd();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
    return {
      write: (text: string) => {
        if (!ended) (stream as NodeJS.WritableStream).write(text);
      },
      destroy: () => {
        (stream as unknown as { destroy: () => void }).destroy();
        end();
      },
      get ended() {
        return ended;
      },
      exitCode: async () => {
        try {
          const info = await execRef!.inspect();
          return info.Running ? null : info.ExitCode;
        } catch {
          return null;
        }
      },
    };
  }

  /** Writes one file into a container (parents are created by the tar extraction). */
  async putFile(containerId: string, opts: { path: string; content: string | Uint8Array; mode?: number }): Promise<void> {
    const pack = tar.pack();
    const rel = opts.path.replace(/^\/+/, '');
    pack.entry({ name: rel, mode: opts.mode ?? 0o644 }, Buffer.from(opts.content));
    pack.finalize();
    try {
      await this.docker.getContainer(containerId).putArchive(pack as unknown as NodeJS.ReadableStream, { path: '/' });
    } catch (e) {
      throw engineError(`write ${opts.path}`, e);
    }
  }

  /** Reads one regular file from a container; undefined when it does not exist. */
  async getFile(containerId: string, path: string): Promise<Buffer | undefined> {
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.docker.getContainer(containerId).getArchive({ path });
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw engineError(`read ${path}`, e);
    }
    const extract = tar.extract();
    const chunks: Buffer[] = [];
    let isFile = false;
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, body, next) => {
        if (!isFile && header.type === 'file') {
          isFile = true;
          body.on('data', (c: unknown) => chunks.push(c as Buffer));
        } else body.resume();
        body.on('end', next);
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      (archive as Readable).pipe(extract);
    });
    if (!isFile) {
      throw new SweSrlError({ code: 'not_a_file', message: `${path} is not a regular file`, fault: 'user' });
    }
    return Buffer.concat(chunks);
  }
}

