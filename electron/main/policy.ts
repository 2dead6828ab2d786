/**
 * What web content may do: navigate only within app://envelock, never open
 * windows, never get a permission, and reach the outside world only through
 * allow-listed https documentation links opened in the user's browser.
 */
import type { App, Event, HandlerDetails, Session, Shell, WebContents, WindowOpenHandlerResponse } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol.js';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for URLs on the app's own origin, app://envelock. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

export function shouldAllowNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** The hosts and path prefixes of core/app/handlers.ts DOCS_URLS (a test checks each one passes): the only links handed to the OS browser. */
export const EXTERNAL_ALLOWLIST: ReadonlyArray<{ host: string; pathPrefix: string }> = [{ host: 'github.com', pathPrefix: '/envelock/envelock/' }];

export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  if (parsed === null || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return EXTERNAL_ALLOWLIST.some((entry) => parsed.hostname === entry.host && parsed.pathname.startsWith(entry.pathPrefix));
}

export type OpenExternal = (url: string) => Promise<void>;

/** Opens the URL in the user's browser when allow-listed; reports whether it did. */
export function openExternalIfAllowed(openExternal: OpenExternal, url: string): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  openExternal(url).catch(() => undefined);
  return true;
}

/** window.open and target=_blank: never a new Electron window; docs links go to the browser. */
export function createWindowOpenHandler(openExternal: OpenExternal): (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse {
  return (details) => {
    openExternalIfAllowed(openExternal, details.url);
    return { action: 'deny' };
  };
}

/** Permission requests (camera, notifications, clipboard-read, …): the app needs none. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

type NavigationEvent = Pick<Event, 'preventDefault'>;

/** Hardens one webContents: navigation, redirects, new windows, webviews. */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, openExternal: OpenExternal): void {
  const guard = (event: NavigationEvent, url: string): void => {
    if (shouldAllowNavigation(url)) return;
    event.preventDefault();
    openExternalIfAllowed(openExternal, url);
  };
  contents.on('will-navigate', (event, url) => guard(event, url));
  contents.on('will-redirect', (event, url) => guard(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(createWindowOpenHandler(openExternal));
}

/** Installs the policies on every webContents the app ever creates, and on the session. */
export function installPolicies(
  app: Pick<App, 'on'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  shell: Pick<Shell, 'openExternal'>,
): void {
  const openExternal: OpenExternal = (url) => shell.openExternal(url);
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));
}
