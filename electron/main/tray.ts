/** The tray icon: open the window, lock everything, quit (which locks first). */
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import { buildTrayMenuTemplate, type TrayActions } from './menu.js';

/** macOS wants a template image (black + alpha) that it tints for light and dark menu bars. */
export function trayIconPath(assetsDir: string, platform: NodeJS.Platform): string {
  return join(assetsDir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

export function createTray(assetsDir: string, actions: TrayActions): Tray {
  const image = nativeImage.createFromPath(trayIconPath(assetsDir, process.platform));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.setToolTip('Envelock');
  tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenuTemplate(actions)));
  // Windows and most Linux trays: a click opens the window.
  tray.on('click', () => actions.open());
  return tray;
}
