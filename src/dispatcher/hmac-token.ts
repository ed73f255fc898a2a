/**
 * A reference bearer token for the WebSocket bridge: `base64url(JSON {sub, exp}).base64url(HMAC-SHA256)`.
 * Stateless and dependency-free; swap it for your own identity provider by passing a different
 * `authenticate` to `createWebSocketBridge`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface CreateHmacTokenOptions {
  /** Lifetime in seconds (default 3600). */
  ttlSeconds?: number;
  /** Clock in milliseconds since the epoch (default `Date.now()`), for tests. */
  now?: number;
}

export interface VerifyHmacTokenOptions {
  /** Clock in milliseconds since the epoch (default `Date.now()`), for tests. */
  now?: number;
}

interface TokenPayload {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** base64url of a SHA-256 digest: 32 bytes, no padding. */
const SIGNATURE_LENGTH = 43;

function sign(body: string, secret: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * The bytes of `text` when it is canonical unpadded base64url, else null. Buffer.from(x, 'base64url')
 * skips characters outside the alphabet and stops at `=`, so `sig!!`, `sig=` or `sig ` would decode
 * to the signature's bytes; and a last character with non-zero unused bits decodes like another.
 * Only the one text the encoder writes for these bytes is accepted.
 */
function decodeCanonical(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export function createHmacToken(userId: string, secret: string | Buffer, options: CreateHmacTokenOptions = {}): string {
  if (typeof userId !== 'string' || userId.length === 0) throw new TypeError('createHmacToken: userId must be a non-empty string');
  if (secret.length === 0) throw new TypeError('createHmacToken: secret must not be empty');
  const ttl = options.ttlSeconds ?? 3600;
  const now = options.now ?? Date.now();
  const payload: TokenPayload = { sub: userId, exp: Math.floor(now / 1000) + ttl };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

/** The token's user id, or null when the token is malformed, forged or expired. Never throws. */
export function verifyHmacToken(token: string | null | undefined, secret: string | Buffer, options: VerifyHmacTokenOptions = {}): string | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096 || secret.length === 0) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const body = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (signature.length !== SIGNATURE_LENGTH) return null;
  const given = decodeCanonical(signature);
  const payloadBytes = decodeCanonical(body);
  if (!given || !payloadBytes) return null;
  const expected = Buffer.from(sign(body, secret), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { sub, exp } = payload as Partial<TokenPayload>;
  if (typeof sub !== 'string' || sub.length === 0 || typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  const now = options.now ?? Date.now();
  if (Math.floor(now / 1000) >= exp) return null;
  return sub;
}
