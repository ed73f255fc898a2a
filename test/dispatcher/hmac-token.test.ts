import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHmacToken, verifyHmacToken } from '../../src/dispatcher/hmac-token.js';
import { createWebSocketBridge, hmacAuthenticator, type WebSocketBridge } from '../../src/dispatcher/websocket-bridge.js';

const SECRET = 'hmac-token-test-secret';
const NOW = 1_700_000_000_000;

const token = createHmacToken('alice', SECRET, { now: NOW });
const [body, sig] = token.split('.') as [string, string];

/** The same 6-bit group's top bits with other (non-zero) low bits: decodes to the same bytes, yet is not what the encoder writes. */
function nonCanonicalLast(part: string, unusedBits: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const index = alphabet.indexOf(part.at(-1) ?? '');
  return part.slice(0, -1) + alphabet[index | ((1 << unusedBits) - 1)];
}

/**
 * Buffer.from(x, 'base64url') skips characters outside the alphabet and stops at padding, so these
 * all decode to the valid token's bytes. Each must be refused.
 */
const junk: Record<string, string> = {
  'signature + "!!"': `${token}!!`,
  'signature + "="': `${token}=`,
  'signature + "=="': `${token}==`,
  'signature + a space': `${token} `,
  'signature + a newline': `${token}\n`,
  'a space inside the signature': `${body}.${sig.slice(0, 20)} ${sig.slice(20)}`,
  'signature with a non-canonical last character': `${body}.${nonCanonicalLast(sig, 2)}`,
  'signature in standard base64 (+ and /)': `${body}.${sig.replaceAll('-', '+').replaceAll('_', '/')}${sig.includes('-') || sig.includes('_') ? '' : '+'}`,
  'body + "="': `${body}=.${sig}`,
  'body + "!!"': `${body}!!.${sig}`,
  'a space before the dot': `${body} .${sig}`,
  'signature of 44 characters': `${body}.${sig}A`,
  'signature of 42 characters': `${body}.${sig.slice(0, 42)}`,
};

describe('verifyHmacToken parses strictly', () => {
  it('accepts the token as issued', () => {
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyHmacToken(token, SECRET, { now: NOW })).toBe('alice');
  });

  it.each(Object.entries(junk))('refuses %s', (_name, forged) => {
    expect(forged).not.toBe(token);
    expect(verifyHmacToken(forged, SECRET, { now: NOW })).toBeNull();
  });

  it('refuses a body with a non-canonical last character even when signed', () => {
    // The body's bytes are what JSON.parse reads, but the HMAC covers its text: re-signing a
    // non-canonical body must still be refused, so one payload has exactly one token text.
    expect(body.length % 4).not.toBe(0); // {"sub":"alice","exp":…} is 34 bytes: its last character has unused bits
    const odd = nonCanonicalLast(body, body.length % 4 === 2 ? 4 : 2);
    expect(odd).not.toBe(body);
    const signed = `${odd}.${createHmac('sha256', SECRET).update(odd).digest('base64url')}`;
    expect(verifyHmacToken(signed, SECRET, { now: NOW })).toBeNull();
  });
});

describe('the bridge refuses junk tokens at upgrade', () => {
  let bridge: WebSocketBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  /** The HTTP status of an upgrade with `token` in the query string (101 when the socket opened). */
  function upgradeStatus(port: number, query: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/?token=${query}`);
      ws.on('error', () => undefined);
      ws.once('open', () => {
        ws.terminate();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('close', () => reject(new Error('closed without a response')));
    });
  }

  it('opens with the issued token and answers 401 to the same token with junk after the signature', async () => {
    bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET) });
    const live = createHmacToken('alice', SECRET);
    expect(await upgradeStatus(bridge.port, live)).toBe(101);
    for (const suffix of ['!!', '%3D', '%20', '%3D%3D']) {
      expect(await upgradeStatus(bridge.port, `${live}${suffix}`), suffix).toBe(401);
    }
  });
});
