/**
 * Where Envelock keeps its registry and default stores: ENVELOCK_CONFIG_DIR, or
 * the OS's app-data folder (the same folder Electron's userData uses for a
 * product named Envelock, so the CLI and the app share one registry).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ENVELOCK_CONFIG_DIR) return env.ENVELOCK_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Envelock');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Envelock');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Envelock');
}
