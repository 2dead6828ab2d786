/**
 * The browser test harness: the built renderer plus the app's real handler
 * table behind HTTP, so Chromium runs the UI against the engine that ships.
 *
 * - GET /…               files of dist/renderer, with the CSP of renderer/index.html
 * - POST /api/<channel>  JSON args → dispatch(handlers, channel, args) → JSON IpcResult
 * - GET /api/events      Server-Sent Events, one `{event, payload}` per host.emit
 * - POST /test/pick-folder {path}  queues what the next pickFolder returns (the native dialog's stand-in)
 * - GET /test/docs-opened          the URLs openDocs was asked to open
 *
 * startHarness() runs this server in a child process (harness-process.ts): the
 * engine does long stretches of synchronous crypto and file work, and in the
 * test's own process that would stall Playwright and delay the progress events
 * the UI is being tested on.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { dispatch } from '../../electron/core/app/dispatch.js';
import { createHandlers, type AppHost } from '../../electron/core/app/handlers.js';
import type { ArgsOf, Channel, EventName, EventPayloads, IpcResult, ResultOf } from '../../shared/ipc/contract.js';
import { ROOT, tempDir } from '../../test/helpers.js';

export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const RENDERER_SOURCE_HTML = join(ROOT, 'renderer', 'index.html');
/** How long a harness process may take to stop before it is killed. */
const CLOSE_GRACE_MS = 10_000;
/** Bodies larger than this are refused: contract arguments are small. */
const MAX_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The policy the renderer declares in its meta tag, read from the source so the header cannot drift from it. */
export function rendererCsp(html = readFileSync(RENDERER_SOURCE_HTML, 'utf8')): string {
  const tag = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (tag?.[1] === undefined) throw new Error(`${RENDERER_SOURCE_HTML} has no Content-Security-Policy meta tag`);
  return tag[1];
}

export function assertRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${join(RENDERER_DIR, 'index.html')} is missing: run npm run build first`);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

/** The file under dist/renderer a URL path names, or null when it escapes that folder or does not exist. */
function rendererFile(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(RENDERER_DIR, `.${decoded === '/' ? '/index.html' : decoded}`);
  if (!file.startsWith(RENDERER_DIR + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

/** Serves one app instance on 127.0.0.1 with a fresh handler table on configDir. */
export async function serveHarness(configDir: string): Promise<HarnessServer> {
  const csp = rendererCsp();
  const eventStreams = new Set<ServerResponse>();
  const queuedFolders: string[] = [];
  const docsOpened: string[] = [];

  const host: AppHost = {
    configDir,
    version: '0.0.0-e2e',
    platform: process.platform,
    pickFolder: async () => queuedFolders.shift() ?? null,
    openDocs: async (url) => {
      docsOpened.push(url);
    },
    emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => {
      const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const stream of eventStreams) stream.write(frame);
    },
  };
  const handlers = createHandlers(host);

  const routes = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const { pathname } = new URL(request.url ?? '/', 'http://harness');
    if (request.method === 'GET' && pathname === '/api/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // A first comment so EventSource reports "open" before any event exists.
      response.write(': connected\n\n');
      eventStreams.add(response);
      request.on('close', () => eventStreams.delete(response));
      return;
    }
    if (request.method === 'POST' && pathname.startsWith('/api/')) {
      sendJson(response, 200, await dispatch(handlers, pathname.slice('/api/'.length), await readJson(request)));
      return;
    }
    if (request.method === 'POST' && pathname === '/test/pick-folder') {
      const { path } = (await readJson(request)) as { path?: unknown };
      if (typeof path !== 'string') return sendJson(response, 400, { error: 'path must be a string' });
      queuedFolders.push(path);
      return sendJson(response, 200, { queued: queuedFolders.length });
    }
    if (request.method === 'GET' && pathname === '/test/docs-opened') return sendJson(response, 200, docsOpened);
    if (request.method === 'GET' && pathname === '/test/other-origin.js') {
      // Loaded from a different origin by csp.spec.ts: it would mark the page if the CSP let it run.
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end('window.__otherOrigin = 1;');
      return;
    }
    const file = request.method === 'GET' ? rendererFile(pathname) : null;
    if (file === null) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'cache-control': 'no-store',
    });
    response.end(readFileSync(file));
  };

  const server = createServer((request, response) => {
    routes(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        for (const stream of eventStreams) stream.end();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export interface Harness {
  /** The app's address, ending in "/". */
  url: string;
  /** This instance's fresh ENVELOCK config folder (registry, settings, default stores). */
  configDir: string;
  /** Calls the handler table directly, as the UI would: for checking what the UI did. */
  call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<IpcResult<ResultOf<C>>>;
  /** The next pickFolder call (the "Browse…" button) returns this path. */
  queuePickFolder(path: string): Promise<void>;
  /** The documentation URLs the app asked to open, in order. */
  docsOpened(): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts serveHarness in a child process on a fresh config folder; resolves once it listens. */
export async function startHarness(): Promise<Harness> {
  assertRendererBuilt();
  const configDir = tempDir('envelock-e2e-config-');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'harness', 'harness-process.ts'), configDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => done((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => fail(new Error(`the harness process exited (${String(code)}) before listening`)));
  });
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(new URL(path, url), { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };
  return {
    url,
    configDir,
    call: async <C extends Channel>(channel: C, args: ArgsOf<C>) => (await post(`/api/${channel}`, args)) as IpcResult<ResultOf<C>>,
    queuePickFolder: async (path) => {
      await post('/test/pick-folder', { path });
    },
    docsOpened: async () => (await (await fetch(new URL('/test/docs-opened', url))).json()) as string[],
    close: async () => {
      // Closing stdin asks the child to stop; it exits once its server closed. An engine
      // operation still running (a test that timed out mid-lock) must not hold the test up.
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
