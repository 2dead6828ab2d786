/** The IPC contract's validators, the passphrase strength rule and the wrong-try waits. */
import { describe, expect, it } from 'vitest';
import { EnvelockError } from '../shared/errors.js';
import { CHANNELS, CONTRACT } from '../shared/ipc/contract.js';
import { absolutePath, integer, object, oneOf, optional, text } from '../shared/ipc/validate.js';
import { passphraseStrength } from '../shared/passphrase.js';
import { AttemptThrottle, waitAfterFailures } from '../electron/core/app/session.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelockError);
    expect((error as EnvelockError).code).toBe('INVALID_ARGUMENT');
    return (error as EnvelockError).message;
  }
  throw new Error('expected a refusal');
}

describe('validators', () => {
  const shape = object({ name: text({ max: 5 }), count: optional(integer(0, 3)), kind: oneOf(['a', 'b'] as const), path: absolutePath });

  it('accepts exactly the declared shape', () => {
    expect(shape({ name: 'x', kind: 'a', path: '/tmp' }, 'arg')).toEqual({ name: 'x', kind: 'a', path: '/tmp' });
    expect(shape({ name: 'x', count: 3, kind: 'b', path: 'C:\\Users' }, 'arg')).toEqual({ name: 'x', count: 3, kind: 'b', path: 'C:\\Users' });
  });

  it('refuses wrong types, extra and missing fields, NUL bytes and relative paths, naming the field', () => {
    expect(refusal(() => shape('x', 'arg'))).toBe('arg must be an object.');
    expect(refusal(() => shape(Object.create(null), 'arg'))).toBe('arg must be an object.');
    expect(refusal(() => shape({ name: 'x', kind: 'a', path: '/tmp', __proto__x: 1 }, 'arg'))).toMatch(/arg\.__proto__x must be absent/);
    expect(refusal(() => shape({ kind: 'a', path: '/tmp' }, 'arg'))).toMatch(/arg\.name must be present/);
    expect(refusal(() => shape({ name: 'toolong', kind: 'a', path: '/tmp' }, 'arg'))).toMatch(/arg\.name must be text/);
    expect(refusal(() => shape({ name: 'x', count: -1, kind: 'a', path: '/tmp' }, 'arg'))).toMatch(/arg\.count must be a whole number from 0 to 3/);
    expect(refusal(() => shape({ name: 'x', kind: 'c', path: '/tmp' }, 'arg'))).toMatch(/arg\.kind must be one of a, b/);
    expect(refusal(() => shape({ name: 'x', kind: 'a', path: 'tmp' }, 'arg'))).toMatch(/arg\.path must be an absolute folder path/);
    expect(refusal(() => shape({ name: 'x\0', kind: 'a', path: '/tmp' }, 'arg'))).toMatch(/arg\.name/);
  });

  it('every channel refuses a non-object before anything else', () => {
    for (const name of CHANNELS) expect(refusal(() => CONTRACT[name].args('nope', name))).toBe(`${name} must be an object.`);
  });
});

describe('passphrase strength', () => {
  it('refuses short, repetitive and common passphrases and accepts random words', () => {
    expect(passphraseStrength('short').label).toBe('too short');
    expect(passphraseStrength('aaaaaaaaaaaaaaaa').acceptable).toBe(false);
    expect(passphraseStrength('abcdefghijklmnop').acceptable).toBe(false);
    expect(passphraseStrength('password123').acceptable).toBe(false);
    expect(passphraseStrength('correct horse battery staple')).toMatchObject({ acceptable: true, score: 4 });
    expect(passphraseStrength('Tr0ub4dor&3x').acceptable).toBe(true);
  });
});

describe('wrong-try waits', () => {
  it('lets three tries through, then doubles the wait up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(waitAfterFailures)).toEqual([0, 0, 0, 2000, 4000, 8000, 60000]);
    let now = 0;
    const throttle = new AttemptThrottle(() => now);
    for (let i = 0; i < 3; i++) {
      throttle.check('L');
      throttle.failed('L');
    }
    expect(() => throttle.check('L')).toThrow(/3 wrong tries in a row: wait 2 seconds/);
    now += 2000;
    throttle.check('L');
    throttle.succeeded('L');
    throttle.failed('L');
    throttle.check('L');
  });
});
