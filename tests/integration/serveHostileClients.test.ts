import { request } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/client';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../main/engine/transports/webServer';
import { startServe } from '../support/serveProcess';
import type { ServeProcess } from '../support/serveProcess';
import { makeTempDir } from '../support/tempDir';
import { waitFor } from '../support/waitFor';
import { connectWebSocket } from '../support/wsClient';

const TEXT = 0x1;
const BINARY = 0x2;
const CLOSE = 0x8;

function upgradeRequest(port: number, path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

/** Where a server frame (unmasked) in `b` has its payload, or null while header or payload is incomplete. */
function serverFrameBounds(b: Buffer): { start: number; end: number } | null {
  if (b.length < 2) return null;
  const length7 = b[1]! & 0x7f;
  const start = length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
  if (b.length < start) return null;
  const length =
    length7 === 126 ? b.readUInt16BE(2) : length7 === 127 ? Number(b.readBigUInt64BE(2)) : length7;
  return b.length < start + length ? null : { start, end: start + length };
}

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** A WebSocket spoken by hand, so a test can send the frames a hostile token holder would and the ws client won't. */
class RawWebSocket {
  private received = Buffer.alloc(0);
  private ended = false;
  private wake: () => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async open(port: number, path: string): Promise<RawWebSocket> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawWebSocket(socket);
    socket.write(upgradeRequest(port, path));
    const head = await raw.take((b) => {
      const end = b.indexOf('\r\n\r\n');
      return end < 0 ? null : end + 4;
    });
    expect(head.toString().split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    return raw;
  }

  /** A final (FIN) frame header declaring `length` payload bytes, masked as a client must. */
  writeHeader(opcode: number, length: number, mask: Buffer): void {
    let length7 = length;
    let extended = Buffer.alloc(0);
    if (length >= 65_536) {
      length7 = 127;
      extended = Buffer.alloc(8);
      extended.writeBigUInt64BE(BigInt(length));
    } else if (length >= 126) {
      length7 = 126;
      extended = Buffer.alloc(2);
      extended.writeUInt16BE(length);
    }
    this.socket.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | length7]), extended, mask]));
  }

  send(opcode: number, payload: Buffer): void {
    const mask = randomBytes(4);
    this.writeHeader(opcode, payload.length, mask);
    this.socket.write(payload.map((byte, i) => byte ^ mask[i % 4]!));
  }

  /** The next frame from the server. */
  async nextFrame(): Promise<Frame> {
    const bytes = await this.take((b) => serverFrameBounds(b)?.end ?? null);
    return { opcode: bytes[0]! & 0x0f, payload: bytes.subarray(serverFrameBounds(bytes)!.start) };
  }

  /** The status code of the server's close frame, skipping any events broadcast before it. */
  async closeCode(): Promise<number> {
    for (;;) {
      const frame = await this.nextFrame();
      if (frame.opcode === CLOSE) return frame.payload.readUInt16BE(0);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Waits until `complete` finds a whole unit at the start of what arrived, and removes it. */
  private async take(complete: (received: Buffer) => number | null): Promise<Buffer> {
    for (;;) {
      const end = complete(this.received);
      if (end !== null) {
        const unit = this.received.subarray(0, end);
        this.received = this.received.subarray(end);
        return unit;
      }
      if (this.ended) throw new Error('the server closed the connection before sending the next frame');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

function httpStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Issue 12: one bad frame from a token holder (invalid UTF-8 in a text frame, a frame over the size limit) made ws
 * raise an 'error' nobody heard, and a peer resetting while being refused did the same on the raw socket: either
 * ended `serve` for every client. Each must now close only the offending connection.
 */
describe('codepercept serve against hostile WebSocket clients', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  /** Connected throughout: one client's bad frame must not cost anyone else their connection. */
  let bystander: ApiClient;

  beforeAll(async () => {
    serve = await startServe(dir.path);
    bystander = await connectWebSocket(serve.port, serve.token);
  });
  afterAll(async () => {
    bystander.close();
    await serve.stop();
    dir.cleanup();
  });

  const rpcPath = () => `/rpc?token=${serve.token}`;

  async function expectStillServing(): Promise<void> {
    expect(serve.child.exitCode, serve.stderr()).toBeNull();
    expect(await httpStatus(serve.port)).toBe(200);
    expect((await bystander.call('system.health', {})).ok).toBe(true);
    const client = await connectWebSocket(serve.port, serve.token);
    expect((await client.call('system.health', {})).ok).toBe(true);
    client.close();
  }

  it('closes a text frame of invalid UTF-8 with 1007, logs it, and keeps serving', async () => {
    const ws = await RawWebSocket.open(serve.port, rpcPath());
    ws.send(TEXT, Buffer.from([0xff, 0xfe, 0xc3, 0x28]));
    expect(await ws.closeCode()).toBe(1007);
    ws.destroy();
    await expectStillServing();
    await waitFor('the log line', () =>
      serve.stderr().includes('invalid UTF-8 sequence (WS_ERR_INVALID_UTF8)'),
    );
  });

  it('closes a frame declaring more than the limit with 1009 before its payload arrives, and keeps serving', async () => {
    const ws = await RawWebSocket.open(serve.port, rpcPath());
    ws.writeHeader(TEXT, MAX_CLIENT_MESSAGE_BYTES + 1, randomBytes(4));
    expect(await ws.closeCode()).toBe(1009);
    ws.destroy();
    await expectStillServing();
    await waitFor('the log line', () =>
      serve.stderr().includes('Max payload size exceeded (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH)'),
    );
  });

  it('answers a binary frame of garbage with a typed protocol error on a connection that stays open', async () => {
    const ws = await RawWebSocket.open(serve.port, rpcPath());
    ws.send(BINARY, Buffer.from([0xff, 0xfe, 0xc3, 0x28]));
    let reply: { m?: string; a?: [{ code: string }] } = {};
    while (reply.m !== 'protocolError') {
      const frame = await ws.nextFrame();
      if (frame.opcode === TEXT) reply = JSON.parse(frame.payload.toString()) as typeof reply;
    }
    expect(reply.a?.[0].code).toBe('INVALID_MESSAGE');
    const health = { t: 'q', m: 'call', a: ['system.health', {}, { callId: 'c1' }], i: 'r1' };
    ws.send(TEXT, Buffer.from(JSON.stringify(health)));
    let answer: { i?: string; r?: { ok: boolean } } = {};
    while (answer.i !== 'r1') answer = JSON.parse((await ws.nextFrame()).payload.toString()) as typeof answer;
    expect(answer.r?.ok).toBe(true);
    ws.destroy();
  });

  it('survives peers that reset while being refused an upgrade', async () => {
    for (let i = 0; i < 200; i++) {
      const socket = connect(serve.port, '127.0.0.1');
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      socket.on('error', () => {});
      socket.write(upgradeRequest(serve.port, '/rpc'));
      socket.resetAndDestroy();
    }
    await waitFor('a reset logged', () => serve.stderr().includes('[serve] WebSocket handshake aborted'));
    await expectStillServing();
  });
});

describe('codepercept serve --host 0.0.0.0', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('warns what a token grants', async () => {
    const serve = await startServe(dir.path, ['--host', '0.0.0.0']);
    try {
      await waitFor('the warning', () => serve.stderr().includes('SSH tunnel'));
      const warning = serve.stderr();
      expect(warning).toContain('WARNING: serving on 0.0.0.0, reachable from other machines.');
      expect(warning).toContain('run model-written code in the sandbox');
      expect(warning).toContain('import any file that user can read as a dataset');
      expect(warning).toContain('write test models into any directory that user can write');
      expect(warning).toContain('set the Python interpreter the render workers run');
    } finally {
      await serve.stop();
    }
  });
});
