// The WebSocket server side (src/serve/websocket.ts) against hand-made client frames, and the OpenEnv action
// mapping (src/serve/openenv.ts), without Docker.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleMessage, stepInput, type OpenEnvSession } from '../../src/serve/openenv.ts';
import { acceptWebSocket } from '../../src/serve/websocket.ts';

/** A masked client frame. */
function clientFrame(opcode: number, payload: Buffer, fin = true, masked = true): Buffer {
  const n = payload.length;
  const len = n < 126 ? Buffer.from([n]) : n < 65536 ? Buffer.from([126, n >> 8, n & 255]) : (() => { const b = Buffer.alloc(9); b[0] = 127; b.writeBigUInt64BE(BigInt(n), 1); return b; })();
  len[0]! |= masked ? 0x80 : 0;
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), len, masked ? mask : Buffer.alloc(0), body]);
}

/** Server frames in a buffer: [opcode, payload]. */
function serverFrames(buf: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  let at = 0;
  while (at + 2 <= buf.length) {
    let n = buf[at + 1]! & 0x7f;
    let h = 2;
    if (n === 126) [n, h] = [buf.readUInt16BE(at + 2), 4];
    else if (n === 127) [n, h] = [Number(buf.readBigUInt64BE(at + 2)), 10];
    if (at + h + n > buf.length) break;
    out.push([buf[at]! & 0x0f, buf.subarray(at + h, at + h + n)]);
    at += h + n;
  }
  return out;
}

describe('WebSocket server side', () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Duplex>();
  beforeAll(async () => {
    server = createServer();
    server.on('upgrade', (req, socket, head) => {
      sockets.add(socket);
      acceptWebSocket(req, socket, { head, maxBytes: 1000, handlers: (conn) => ({ onMessage: (t) => conn.send(`echo:${t}`), onClose: () => sockets.delete(socket) }) });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });

  // Opens a connection, writes the handshake plus `frames` in one write, and collects what comes back until close.
  const exchange = (frames: Buffer[], waitMs = 300): Promise<{ head: string; frames: Array<[number, Buffer]> }> =>
    new Promise((resolve) => {
      const key = randomBytes(16).toString('base64');
      const s: Socket = connect(port, '127.0.0.1');
      let got = Buffer.alloc(0);
      s.on('data', (d) => (got = Buffer.concat([got, d])));
      const done = () => {
        const i = got.indexOf('\r\n\r\n');
        resolve({ head: got.subarray(0, i).toString(), frames: serverFrames(got.subarray(i + 4)) });
        s.destroy();
      };
      s.on('close', done);
      setTimeout(done, waitMs);
      s.write(Buffer.concat([Buffer.from(`GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`), ...frames]));
      (s as Socket & { key?: string }).key = key;
    });

  it('answers the handshake, reassembles fragments, answers pings and closes on request', async () => {
    const r = await exchange([
      clientFrame(0x1, Buffer.from('hel'), false),
      clientFrame(0x9, Buffer.from('p')),
      clientFrame(0x0, Buffer.from('lo ünï'), true),
      clientFrame(0x1, Buffer.alloc(300, 'a')),
      clientFrame(0x8, Buffer.from([0x03, 0xe8])),
    ]);
    expect(r.head).toMatch(/^HTTP\/1.1 101 /);
    const accept = /Sec-WebSocket-Accept: (\S+)/.exec(r.head)![1];
    expect(accept).toHaveLength(28);
    expect(r.frames.map(([op, p]) => [op, op === 0x8 ? p.readUInt16BE(0) : p.toString()])).toEqual([
      [0xa, 'p'],
      [0x1, 'echo:hello ünï'],
      [0x1, `echo:${'a'.repeat(300)}`],
      [0x8, 1000],
    ]);
  });

  it('computes Sec-WebSocket-Accept as RFC 6455 says', async () => {
    // The RFC's own example key.
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    const r = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write(`GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n\r\n`));
      s.once('data', (d) => (resolve(d.toString()), s.destroy()));
    });
    expect(r).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('closes with 1009 past the size limit (from the header, before the payload) and 1002 on an unmasked frame', async () => {
    const big = await exchange([clientFrame(0x1, Buffer.alloc(70_000, 'x')).subarray(0, 20)]);
    expect(big.frames.map(([op, p]) => [op, p.readUInt16BE(0)])).toEqual([[0x8, 1009]]);
    const unmasked = await exchange([clientFrame(0x1, Buffer.from('hi'), true, false)]);
    expect(unmasked.frames.map(([op, p]) => [op, p.readUInt16BE(0)])).toEqual([[0x8, 1002]]);
    const binary = await exchange([clientFrame(0x2, Buffer.from([1, 2]))]);
    expect(binary.frames.map(([op, p]) => [op, p.readUInt16BE(0)])).toEqual([[0x8, 1003]]);
  });
});

describe('OpenEnv actions and messages', () => {
  it('maps each action form onto a swe-srl step', () => {
    expect(stepInput({ command: 'ls -la' })).toEqual({ action: '<function=bash>\n<parameter=command>ls -la</parameter>\n</function>' });
    expect(stepInput({ tool: 'str_replace_editor', arguments: { path: '/a', command: 'view' } })).toEqual({ action: '<function=str_replace_editor>\n<parameter=path>/a</parameter>\n<parameter=command>view</parameter>\n</function>' });
    expect(stepInput({ call: '<function=submit></function>', metadata: { x: 1 } })).toEqual({ action: '<function=submit></function>' });
    expect(stepInput({ response: '<think>a</think>x' })).toEqual({ response: '<think>a</think>x' });
    expect(() => stepInput({ command: 'ls', call: 'x' })).toThrow(/exactly one of/);
    expect(() => stepInput({ bogus: 1 })).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('answers messages in OpenEnv\'s shapes, errors with OpenEnv\'s codes', async () => {
    const session = {
      reset: async () => ({ observation: { output: 'issue' }, reward: null, done: false }),
      step: async (a: unknown) => {
        stepInput(a);
        return { observation: { output: 'ok' }, reward: null, done: false };
      },
      state: () => ({ episode_id: 'e', step_count: 1 }),
      close: async () => undefined,
    } as unknown as OpenEnvSession;
    expect(await handleMessage(session, '{"type":"reset"}')).toEqual({ type: 'observation', data: { observation: { output: 'issue' }, reward: null, done: false } });
    expect(await handleMessage(session, '{"type":"step","data":{"command":"ls"}}')).toMatchObject({ type: 'observation' });
    expect(await handleMessage(session, '{"type":"state"}')).toEqual({ type: 'state', data: { episode_id: 'e', step_count: 1 } });
    expect(await handleMessage(session, '{"type":"close"}')).toBe('close');
    expect(await handleMessage(session, 'nope')).toMatchObject({ type: 'error', data: { code: 'INVALID_JSON' } });
    expect(await handleMessage(session, '{"type":"jump"}')).toMatchObject({ type: 'error', data: { code: 'UNKNOWN_TYPE' } });
    expect(await handleMessage(session, '{"type":"step"}')).toMatchObject({ type: 'error', data: { code: 'VALIDATION_ERROR' } });
    expect(await handleMessage(session, '{"type":"step","data":{"x":1}}')).toMatchObject({ type: 'error', data: { code: 'VALIDATION_ERROR', swe_srl_code: 'bad_request' } });
  });
});

describe('OpenEnv routes on the server (no sandbox needed)', () => {
  it('keeps the token rule (open /health and /openenv/health), refuses bad upgrades, and closes with sessions open', async () => {
    const { serve } = await import('../../src/serve/server.ts');
    const { EnvPool } = await import('../../src/serve/envs.ts');
    // No task is opened here: the pool and grader are never asked for a sandbox.
    const pool = new EnvPool({ tasks: [], maxEnvs: 1, ttlS: 60, stepTimeoutMs: 1000 } as unknown as ConstructorParameters<typeof EnvPool>[0]);
    const running = await serve({ pool, grader: {} as never, port: 0, token: 'tok' });
    const base = `http://127.0.0.1:${running.port}`;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true, tasks: 0, envs: 0 });
    expect(await (await fetch(`${base}/openenv/health`)).json()).toEqual({ status: 'healthy' });
    expect((await fetch(`${base}/openenv/schema`)).status).toBe(401);
    expect((await fetch(`${base}/openenv/schema`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    const upgrade = (path: string, auth: boolean) =>
      new Promise<{ status: string; socket: Socket }>((resolve) => {
        const s = connect(running.port, '127.0.0.1', () =>
          s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${auth ? 'Authorization: Bearer tok\r\n' : ''}\r\n`),
        );
        s.once('data', (d) => resolve({ status: d.toString().split('\r\n')[0]!, socket: s }));
      });
    expect((await upgrade('/openenv/ws', false)).status).toMatch(/ 401 /);
    expect((await upgrade('/elsewhere', true)).status).toMatch(/ 404 /);
    const live = await upgrade('/openenv/ws', true);
    expect(live.status).toMatch(/ 101 /);
    live.socket.write(clientFrame(0x1, Buffer.from('{"type":"state"}')));
    const reply = await new Promise<Buffer>((resolve) => live.socket.once('data', resolve));
    expect(JSON.parse(serverFrames(reply)[0]![1].toString())).toEqual({ type: 'state', data: { episode_id: null, step_count: 0, instance_id: null, env_id: null, done: false } });
    const t0 = Date.now();
    const closed = await Promise.race([running.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))]);
    expect(closed).toBe('closed');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
