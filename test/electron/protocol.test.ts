/** app:// serves dist/renderer only, refuses traversal, and sends the same CSP as index.html's meta tag. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_CSP } from '../../electron/main/csp.js';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, handleAppProtocol, resolveAppFile, serveAppRequest } from '../../electron/main/protocol.js';

const ROOT = resolve('/srv/app/dist/renderer');

describe('resolveAppFile', () => {
  it('maps app URLs to files under the root', () => {
    expect(APP_ORIGIN).toBe('app://envelock');
    expect(resolveAppFile(ROOT, APP_ENTRY_URL)).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://envelock/')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://envelock')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'app://envelock/assets/index-abc.js?v=1#x')).toBe(join(ROOT, 'assets', 'index-abc.js'));
    expect(resolveAppFile(ROOT, 'app://envelock/assets/a%20b.css')).toBe(join(ROOT, 'assets', 'a b.css'));
  });

  // The URL parser resolves dot segments (plain or %2e-encoded) the way Chromium does for a
  // standard scheme: they clamp at the origin's root, so the file stays under ROOT.
  it.each([
    'app://envelock/../../../etc/passwd',
    'app://envelock/%2e%2e/%2e%2e/etc/passwd',
    'app://envelock/assets/%2E%2E/%2E%2E/secret',
    'app://envelock//etc/passwd/..',
  ])('keeps %s inside the root', (url) => {
    const file = resolveAppFile(ROOT, url);
    expect(file === null || file.startsWith(ROOT + '/')).toBe(true);
  });

  it.each([
    'app://envelock/..%2f..%2fetc%2fpasswd',
    'app://envelock/..%5c..%5cwindows',
    'app://envelock/assets\\..\\..\\x',
    'app://envelock/%00index.html',
    'app://envelock/%E0%A4%A',
    'app://evil/index.html',
    'app://user@envelock/index.html',
    'file:///etc/passwd',
    'https://envelock/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(ROOT, url)).toBeNull();
  });

  it('registers a standard, secure, fetch-capable scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });
});

describe('serveAppRequest', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'envelock-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'top secret');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves files with the CSP header and a content type', async () => {
    const response = await serveAppRequest(root, { url: APP_ENTRY_URL, method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>x</title>');
    const script = await serveAppRequest(root, { url: 'app://envelock/assets/app.js', method: 'GET' });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('answers 404 outside the root and for missing files, 405 for writes', async () => {
    for (const url of ['app://envelock/../secret.txt', 'app://envelock/%2e%2e/secret.txt', 'app://envelock/nope.js', 'app://envelock/assets', 'app://other/index.html']) {
      const response = await serveAppRequest(root, { url, method: 'GET' });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('top secret');
    }
    expect((await serveAppRequest(root, { url: APP_ENTRY_URL, method: 'POST' })).status).toBe(405);
  });

  it('handleAppProtocol registers the app scheme with this server', async () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol as never, root);
    expect(protocol.handle).toHaveBeenCalledOnce();
    const [scheme, handler] = protocol.handle.mock.calls[0] as [string, (request: { url: string; method: string }) => Promise<Response>];
    expect(scheme).toBe('app');
    expect((await handler({ url: APP_ENTRY_URL, method: 'GET' })).status).toBe(200);
  });
});

describe('CSP', () => {
  it('the header equals the meta tag in renderer/index.html', () => {
    const html = readFileSync(resolve('renderer/index.html'), 'utf8');
    const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(match?.[1]).toBe(APP_CSP);
  });

  it('is strict: nothing by default, no inline or eval scripts, no framing', () => {
    expect(APP_CSP).toMatch(/default-src 'none'/);
    expect(APP_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(APP_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(APP_CSP).toMatch(/object-src 'none'/);
    expect(APP_CSP).toMatch(/frame-ancestors 'none'/);
  });
});
