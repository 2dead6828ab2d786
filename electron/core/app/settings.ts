/** The app's settings file (settings.json in the config folder). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KdfStrength, Settings } from '../../../shared/ipc/contract.js';
import { KDF_STRENGTHS } from '../../../shared/ipc/contract.js';

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 15, kdfStrength: 'standard' };

/** How long one passphrase check takes on keyslots created with each strength. */
export const KDF_TARGET_MS: Record<KdfStrength, number> = { standard: 600, strong: 1000, maximum: 1500 };

function settingsPath(configDir: string): string {
  return join(configDir, 'settings.json');
}

/** Missing or unreadable fields fall back to the defaults: a damaged settings file never stops the app. */
export function readSettings(configDir: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(settingsPath(configDir), 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const minutes = value.autoLockMinutes;
  const strength = value.kdfStrength;
  return {
    autoLockMinutes: typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : DEFAULT_SETTINGS.autoLockMinutes,
    kdfStrength: typeof strength === 'string' && (KDF_STRENGTHS as readonly string[]).includes(strength) ? (strength as KdfStrength) : DEFAULT_SETTINGS.kdfStrength,
  };
}

export function writeSettings(configDir: string, settings: Settings): Settings {
  mkdirSync(configDir, { recursive: true });
  const path = settingsPath(configDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return settings;
}
