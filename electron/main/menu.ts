/** The application menu (minimal) and the tray menu, as pure templates. */
import type { MenuItemConstructorOptions } from 'electron';

export function devToolsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ENVELOCK_DEVTOOLS === '1';
}

export function buildAppMenuTemplate(platform: NodeJS.Platform, devTools: boolean): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') {
    template.push({ role: 'appMenu' });
  } else {
    template.push({ label: 'File', submenu: [{ role: 'quit' }] });
  }
  // Edit keeps copy/paste shortcuts working in text fields (macOS needs the menu for them).
  template.push({ role: 'editMenu' });
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (devTools) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  template.push({ label: 'View', submenu: view });
  template.push({ role: 'windowMenu' });
  return template;
}

export interface TrayActions {
  open: () => void;
  lockAll: () => void;
  quit: () => void;
}

export function buildTrayMenuTemplate(actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Envelock', click: () => actions.open() },
    { label: 'Lock all', click: () => actions.lockAll() },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit() },
  ];
}
