/** Navigation, new-window, permission and openExternal policy. */
import { describe, expect, it, vi } from 'vitest';
import { DOCS_URLS } from '../../electron/core/app/handlers.js';
import {
  createWindowOpenHandler, denyPermissionCheck, denyPermissionRequest, hardenWebContents, installPolicies,
  isAllowedExternalUrl, isAppUrl, openExternalIfAllowed, shouldAllowNavigation,
} from '../../electron/main/policy.js';

const FOREIGN = [
  'file:///etc/passwd',
  'file:///app/dist/renderer/index.html',
  'http://envelock/index.html',
  'http://github.com/envelock/envelock',
  'https://evil.example/',
  'https://envelock.evil.example/',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'app://evil/index.html',
  'app://user:pw@envelock/index.html',
  'about:blank',
  'not a url',
  '',
];

describe('navigation', () => {
  it('allows the app origin only', () => {
    expect(isAppUrl('app://envelock/index.html')).toBe(true);
    expect(shouldAllowNavigation('app://envelock/index.html')).toBe(true);
    expect(shouldAllowNavigation('app://envelock/')).toBe(true);
    expect(shouldAllowNavigation('app://envelock/assets/index.js?x=1#y')).toBe(true);
  });

  it.each(FOREIGN)('denies %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
    expect(shouldAllowNavigation(url)).toBe(false);
  });
});

describe('external links', () => {
  it('opens every documentation link the app offers', () => {
    for (const url of Object.values(DOCS_URLS)) expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ...FOREIGN,
    'http://github.com/envelock/envelock/blob/main/README.md',
    'https://github.com/someone-else/repo',
    'https://github.com.evil.example/envelock/envelock/',
    'https://user@github.com/envelock/envelock/',
    'https://github.com:8443/envelock/envelock/',
    'app://envelock/index.html',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('openExternalIfAllowed calls shell only for allow-listed https links', () => {
    const open = vi.fn(async () => undefined);
    expect(openExternalIfAllowed(open, 'https://evil.example/')).toBe(false);
    expect(openExternalIfAllowed(open, 'file:///etc/passwd')).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(openExternalIfAllowed(open, DOCS_URLS.format)).toBe(true);
    expect(open).toHaveBeenCalledExactlyOnceWith(DOCS_URLS.format);
  });
});

describe('window.open', () => {
  it('is always denied; only allow-listed docs go to the browser', () => {
    const open = vi.fn(async () => undefined);
    const handler = createWindowOpenHandler(open);
    for (const url of [...FOREIGN, 'app://envelock/index.html']) expect(handler({ url })).toEqual({ action: 'deny' });
    expect(open).not.toHaveBeenCalled();
    expect(handler({ url: DOCS_URLS.security })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledExactlyOnceWith(DOCS_URLS.security);
  });
});

describe('permissions', () => {
  it('denies every request and every check', () => {
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      denyPermissionRequest({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(denyPermissionCheck()).toBe(false);
  });
});

type Listener = (event: { preventDefault: () => void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => unknown) | undefined;
  const contents = {
    on: vi.fn((name: string, listener: Listener) => {
      listeners.set(name, listener);
      return contents;
    }),
    setWindowOpenHandler: vi.fn((handler: (details: { url: string }) => unknown) => {
      openHandler = handler;
    }),
  };
  const fire = (name: string, url = ''): boolean => {
    const preventDefault = vi.fn();
    listeners.get(name)?.({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return { contents, listeners, fire, openHandler: () => openHandler };
}

describe('hardenWebContents / installPolicies', () => {
  it('prevents foreign navigation and redirects, and every webview', () => {
    const open = vi.fn(async () => undefined);
    const fake = fakeContents();
    hardenWebContents(fake.contents as never, open);
    expect([...fake.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(fake.fire('will-navigate', 'app://envelock/index.html')).toBe(false);
    expect(fake.fire('will-redirect', 'app://envelock/index.html')).toBe(false);
    for (const url of FOREIGN) {
      expect(fake.fire('will-navigate', url)).toBe(true);
      expect(fake.fire('will-redirect', url)).toBe(true);
    }
    expect(open).not.toHaveBeenCalled();
    expect(fake.fire('will-navigate', DOCS_URLS.format)).toBe(true);
    expect(open).toHaveBeenCalledExactlyOnceWith(DOCS_URLS.format);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.openHandler()?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('hooks every new webContents and the session permission handlers', () => {
    let created: ((event: unknown, contents: unknown) => void) | undefined;
    const app = { on: vi.fn((name: string, listener: (event: unknown, contents: unknown) => void) => { if (name === 'web-contents-created') created = listener; }) };
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    const shell = { openExternal: vi.fn(async () => undefined) };
    installPolicies(app as never, session as never, shell as never);
    expect(session.setPermissionRequestHandler).toHaveBeenCalledWith(denyPermissionRequest);
    expect(session.setPermissionCheckHandler).toHaveBeenCalledWith(denyPermissionCheck);
    const fake = fakeContents();
    created?.({}, fake.contents);
    expect(fake.contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    expect(fake.fire('will-navigate', 'https://evil.example/')).toBe(true);
    fake.openHandler()?.({ url: DOCS_URLS['recovery-key'] });
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith(DOCS_URLS['recovery-key']);
  });
});
