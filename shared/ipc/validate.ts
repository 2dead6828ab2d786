/**
 * Runtime validators for arguments that cross the IPC boundary. Main runs them
 * before any service sees an argument: the renderer is treated as untrusted.
 * Plain TypeScript, no Node or DOM: this file is part of the contract.
 */
import { EnvelockError } from '../errors.js';

export type Validator<T> = (value: unknown, where: string) => T;

function refuse(where: string, expected: string): never {
  throw new EnvelockError('INVALID_ARGUMENT', `${where} must be ${expected}.`, { subject: where });
}

export function text(options: { min?: number; max: number; pattern?: RegExp; describe?: string }): Validator<string> {
  const min = options.min ?? 0;
  const expected = options.describe ?? `text of ${min}–${options.max} characters`;
  return (value, where) => {
    if (typeof value !== 'string' || value.length < min || value.length > options.max || value.includes('\0')) refuse(where, expected);
    if (options.pattern !== undefined && !options.pattern.test(value)) refuse(where, expected);
    return value;
  };
}

/** An absolute path as the OS would accept it (no NUL, bounded length). */
export const absolutePath: Validator<string> = (value, where) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096 || value.includes('\0')) refuse(where, 'an absolute folder path');
  if (!(value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'))) refuse(where, 'an absolute folder path');
  return value;
};

export function integer(min: number, max: number): Validator<number> {
  return (value, where) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) refuse(where, `a whole number from ${min} to ${max}`);
    return value;
  };
}

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  return (value, where) => {
    if (typeof value !== 'string' || !values.includes(value)) refuse(where, `one of ${values.join(', ')}`);
    return value as T[number];
  };
}

type Shape = Record<string, Validator<unknown>>;
type Optional<T> = Validator<T> & { readonly optional: true };
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Out<V> = V extends Validator<infer T> ? T : never;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Out<S[K]> } & { [K in OptionalKeys<S>]?: Out<S[K]> };

export function optional<T>(inner: Validator<T>): Optional<T> {
  const validator = ((value: unknown, where: string) => inner(value, where)) as Optional<T>;
  Object.defineProperty(validator, 'optional', { value: true });
  return validator;
}

/** A plain object with exactly these keys: unknown keys are refused, not ignored. */
export function object<S extends Shape>(shape: S): Validator<ObjectOf<S>> {
  return (value, where) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
      refuse(where, 'an object');
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!Object.hasOwn(shape, key)) refuse(`${where}.${key}`, 'absent (unknown field)');
    }
    const result: Record<string, unknown> = {};
    for (const [key, validate] of Object.entries(shape)) {
      const field = record[key];
      if (field === undefined) {
        if ((validate as Partial<Optional<unknown>>).optional === true) continue;
        refuse(`${where}.${key}`, 'present');
      }
      result[key] = validate(field, `${where}.${key}`);
    }
    return result as ObjectOf<S>;
  };
}
