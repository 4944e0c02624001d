// A small RFC 6455 WebSocket server side over node:http's 'upgrade' event: the handshake, text messages (fragmented
// or not), ping/pong and the close handshake. Client frames must be masked; messages over maxBytes close the
// connection with 1009. No extensions are negotiated (the client's permessage-deflate offer is declined by silence).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WebSocketConnection {
  /** Sends one text message (no-op once closed). */
  send(text: string): void;
  /** Starts the close handshake (code 1000 by default) and ends the socket. */
  close(code?: number, reason?: string): void;
  readonly closed: boolean;
}

export interface WebSocketHandlers {
  onMessage(text: string): void;
  /** Called once, however the connection ended. */
  onClose(): void;
}

/** Completes the handshake of an upgrade request, or answers it with an HTTP error and returns undefined. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  o: { head: Buffer; maxBytes: number; handlers: (conn: WebSocketConnection) => WebSocketHandlers },
): WebSocketConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  if (req.method !== 'GET' || String(req.headers.upgrade).toLowerCase() !== 'websocket' || typeof key !== 'string') {
    rejectUpgrade(socket, 400, 'expected a WebSocket upgrade');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);

  let closed = false;
  let ended = false;
  const conn: WebSocketConnection = {
    get closed() {
      return closed;
    },
    send(text) {
      if (!closed) socket.write(frame(0x1, Buffer.from(text, 'utf8')));
    },
    close(code = 1000, reason = '') {
      if (closed) return;
      closed = true;
      const body = Buffer.alloc(2 + Buffer.byteLength(reason));
      body.writeUInt16BE(code, 0);
      body.write(reason, 2);
      socket.end(frame(0x8, body));
    },
  };
  const h = o.handlers(conn);
  const finish = () => {
    if (ended) return;
    ended = true;
    closed = true;
    h.onClose();
  };
  let buf: Buffer = Buffer.alloc(0);
  let parts: Buffer[] = [];
  let partBytes = 0;
  const onData = (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (closed) return;
      const f = readFrame(buf);
      if (f === 'more') return;
      if (f === 'unmasked') return conn.close(1002, 'client frames must be masked');
      // Checked from the header, before the payload is waited for.
      if (partBytes + f.length > o.maxBytes) return conn.close(1009, 'message too big');
      if (!f.payload) return;
      buf = buf.subarray(f.end);
      const payload = f.payload;
      if (f.opcode === 0x8) return conn.close(1000);
      if (f.opcode === 0x9) {
        if (!closed) socket.write(frame(0xa, payload));
        continue;
      }
      if (f.opcode === 0xa) continue;
      if (f.opcode === 0x2) return conn.close(1003, 'text messages only');
      // 0x1 starts a message, 0x0 continues it.
      parts.push(payload);
      partBytes += payload.length;
      if (f.fin) {
        const text = Buffer.concat(parts).toString('utf8');
        parts = [];
        partBytes = 0;
        h.onMessage(text);
      }
    }
  };
  socket.on('data', onData);
  socket.on('close', finish);
  socket.on('error', finish);
  // Bytes that arrived with the upgrade request are the first frames.
  if (o.head.length) onData(o.head);
  return conn;
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string, body?: unknown): void {
  const text = JSON.stringify(body ?? { error: { code: status === 401 ? 'unauthorized' : 'bad_request', message } });
  // Destroyed once written: a client that keeps its end open must not hold the server's close() up.
  socket.end(`HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`, () => socket.destroy());
}

interface Frame {
  fin: boolean;
  opcode: number;
  length: number;
  /** Absent while the payload has not all arrived. */
  payload?: Buffer;
  end: number;
}

/** The first frame of buf ('more' until its header is complete), 'unmasked' for a frame a client may not send. */
function readFrame(buf: Buffer): Frame | 'more' | 'unmasked' {
  if (buf.length < 2) return 'more';
  const fin = (buf[0]! & 0x80) !== 0;
  const opcode = buf[0]! & 0x0f;
  if ((buf[1]! & 0x80) === 0) return 'unmasked';
  let length = buf[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    if (buf.length < 4) return 'more';
    length = buf.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (buf.length < 10) return 'more';
    length = Number(buf.readBigUInt64BE(2));
    at = 10;
  }
  const end = at + 4 + length;
  if (buf.length < end) return { fin, opcode, length, end };
  const mask = buf.subarray(at, at + 4);
  const payload = Buffer.from(buf.subarray(at + 4, at + 4 + length));
  for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
  return { fin, opcode, length, payload, end };
}

/** A server frame (never masked). */
function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}
