/**
 * `npm run bench --quick` still runs end to end (1/16 of the data): the harness,
 * the CLI contract it drives, and the report. Numbers are not asserted (no
 * timing assertions in tests); the bench itself checks every unlock byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('benchmark smoke run', () => {
  it('runs --quick and reports every envelock operation on every dataset', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'run.ts'), '--quick'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    for (const op of ['envelock init', 'envelock lock', 'envelock unlock']) {
      expect(result.stdout.split('\n').filter((line) => line.includes(`**${op}**`))).toHaveLength(3);
    }
    expect(result.stdout).toContain('**KDF alone**');
    expect(result.stdout).toContain('bytes added to the store by that re-seal');
  }, 300_000);
});
