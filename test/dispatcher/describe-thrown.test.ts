import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeThrown } from '../../src/dispatcher/describe-thrown.js';

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function errorWith(message: PropertyDescriptor): Error {
  const error = new TypeError('hidden');
  Object.defineProperty(error, 'message', message);
  return error;
}

describe('describeThrown', () => {
  it.each<[string, unknown, string]>([
    ['an Error', new Error('boom'), 'boom'],
    ['a string', 'plain', 'plain'],
    ['a number', 42, '42'],
    ['a BigInt', 7n, '7'],
    ['a symbol', Symbol('why'), 'Symbol(why)'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['Object.create(null)', Object.create(null), '[object Object]'],
    ['an object whose toString throws', { toString(): never { throw new Error('no'); } }, '[object Object]'],
    ['a revoked proxy', revoked(), 'a thrown object that cannot be read'],
    ['an Error whose message getter throws', errorWith({ get(): never { throw new Error('no'); } }), 'TypeError (its message could not be read)'],
    ['an Error whose message is a BigInt', errorWith({ value: 5n }), '5'],
    ['an Error whose message has no toString', errorWith({ value: Object.create(null) }), '[object Error]'],
  ])('%s', (_name, value, expected) => {
    expect(describeThrown(value)).toBe(expected);
  });

  it('returns a string for anything (fixed seed)', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }), (value) => {
      expect(typeof describeThrown(value)).toBe('string');
    }), { seed: 11, numRuns: 300 });
  });
});
