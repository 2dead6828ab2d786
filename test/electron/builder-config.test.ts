/** electron-builder.yml: fuses, asar, argon2 unpacked, identity, targets, and only built files shipped. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

const config = parse(readFileSync(resolve('electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder\'s own schema', async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (config: unknown, logger: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app', () => {
    expect(config.appId).toBe('app.envelock.desktop');
    expect(config.productName).toBe('Envelock');
    expect(config.directories.output).toBe('release');
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs into asar with argon2\'s native addon unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/argon2/**');
  });

  it('ships the built app and excludes sources and tests', () => {
    expect(config.files).toContain('dist/**');
    expect(config.files).toContain('package.json');
    for (const excluded of ['!**/*.ts', '!electron/**', '!shared/**', '!renderer/**', '!test/**', '!e2e/**', '!bench/**', '!scripts/**']) {
      expect(config.files).toContain(excluded);
    }
    expect(config.files.filter((pattern) => !pattern.startsWith('!') && /(^|\/)(src|test|electron|renderer)\b/.test(pattern))).toEqual([]);
  });

  it('builds AppImage + deb, dmg and nsis with icons from assets/', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.icon).toBe('assets/icons');
    expect(config.mac.icon).toBe('assets/icon.icns');
    expect(config.win.icon).toBe('assets/icon.ico');
  });
});
