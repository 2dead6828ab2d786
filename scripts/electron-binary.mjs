#!/usr/bin/env node
// The Electron binary: electron's own install script downloads it from GitHub, and
// fails the whole `npm ci` where GitHub cannot be reached (our CI machines reach only
// the npm registry). So package.json denies that script (allowScripts) and runs it
// from here instead:
//
//   node scripts/electron-binary.mjs install   (postinstall) download it; where that
//       fails, say so and how to fix it, but let the install succeed: the engine, the
//       CLI and every test but the real-shell launch need no binary.
//   node scripts/electron-binary.mjs check     (before `npm start`) exit 1 with the fix
//       when the binary is missing, instead of Electron's own generic message.
//
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download quietly (electron's convention).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('electron/package.json'));

function installedBinary() {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const FIX = 'fix: on a machine that can reach github.com, run `node node_modules/electron/install.js` (or `npm ci` again)';

const mode = process.argv[2];
if (mode === 'install') {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('envelock: ELECTRON_SKIP_BINARY_DOWNLOAD is set: the Electron binary is not downloaded (npm start needs it; nothing else does).');
  } else if (installedBinary() === null) {
    const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0 || installedBinary() === null) {
      const reason = (result.stderr ?? '').split('\n').find((line) => line.trim() !== '') ?? `exit ${result.status}`;
      console.warn(`envelock: warning: the Electron binary could not be downloaded (${reason.trim()}).`);
      console.warn('  The engine, the CLI and the tests work without it; `npm start` does not.');
      console.warn(`  ${FIX}; set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip this step.`);
    }
  }
} else if (mode === 'check') {
  if (installedBinary() === null) {
    console.error('envelock: the Electron binary is not installed, so the desktop app cannot start.');
    console.error(`  ${FIX}.`);
    process.exitCode = 1;
  }
} else {
  console.error('usage: node scripts/electron-binary.mjs install|check');
  process.exitCode = 2;
}
