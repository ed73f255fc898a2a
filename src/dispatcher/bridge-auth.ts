/** Upgrade-time helpers of the WebSocket bridge: where the token comes from, how a refused upgrade is answered. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { verifyHmacToken } from './hmac-token.js';

/** The bearer token of an upgrade request: `Authorization: Bearer …`, else the `token` query parameter. */
export function extractToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m?.[1]) return m[1];
  }
  const url = request.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return null;
  const token = new URLSearchParams(url.slice(q + 1)).get('token');
  return token && token.length > 0 ? token : null;
}

/** An `authenticate` for `createWebSocketBridge` that accepts tokens made by `createHmacToken(userId, secret)`. */
export function hmacAuthenticator(secret: string | Buffer): (request: IncomingMessage, token?: string | null) => string | null {
  return (request, token) => verifyHmacToken(token ?? extractToken(request), secret);
}

const REASONS: Readonly<Record<number, string>> = Object.freeze({
  401: 'Unauthorized',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
});

/** Answer a refused upgrade with a plain HTTP status; the WebSocket never opens. */
export function rejectUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  const reason = REASONS[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
