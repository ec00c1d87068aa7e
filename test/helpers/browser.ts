// Drives Debian's Chromium, headless, over the DevTools protocol on a pipe (--remote-debugging-pipe:
// no port, no dependency): opens a file, reads what a person would see (innerText, where things are
// drawn), takes a screenshot and prints to PDF. Every call is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const CHROMIUM = CANDIDATES.find((path) => existsSync(path));

/**
 * Why the browser tests cannot run here, for describe's `skip`; false when they can. CI installs
 * Chromium (.ci/run), so there a missing one is a failure, never a skip.
 */
export const chromiumMissing: string | false =
  CHROMIUM !== undefined
    ? false
    : process.env.CI === 'true'
      ? false
      : 'Chromium is not installed: `apt-get install -y chromium` (CI installs it) to render the HTML pages in a real browser';

const CALL_TIMEOUT_MS = 30_000;

interface Reply {
  id?: number;
  method?: string;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
  params?: Record<string, unknown>;
}

export interface BrowserPage {
  /** Evaluates an expression in the page and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  screenshot(): Promise<Buffer>;
  printToPdf(): Promise<Buffer>;
  emulateMedia(media: 'screen' | 'print'): Promise<void>;
}

export interface Browser {
  open(file: string, width?: number, height?: number): Promise<BrowserPage>;
  close(): Promise<void>;
}

export async function startBrowser(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error('Chromium is not installed (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'runbook-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--hide-scrollbars',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  const listeners = new Set<(message: Reply) => void>();
  let buffered = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as Reply;
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result ?? {});
      } else for (const listen of listeners) listen(message);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`Chromium exited: ${stderr.slice(-2000)}`));
    pending.clear();
  });

  const send = (
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> => {
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`Chromium did not answer ${method} within ${String(CALL_TIMEOUT_MS)} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      toBrowser.write(
        `${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`,
      );
    });
  };

  const event = (method: string, sessionId: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listen);
        reject(new Error(`no ${method} within ${String(CALL_TIMEOUT_MS)} ms`));
      }, CALL_TIMEOUT_MS);
      const listen = (message: Reply): void => {
        if (message.method !== method || message.sessionId !== sessionId) return;
        clearTimeout(timer);
        listeners.delete(listen);
        resolve();
      };
      listeners.add(listen);
    });

  await send('Browser.getVersion');
  return {
    async open(file, width = 1100, height = 900) {
      const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as {
        targetId: string;
      };
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      await send('Page.enable', {}, sessionId);
      await send(
        'Emulation.setDeviceMetricsOverride',
        { width, height, deviceScaleFactor: 1, mobile: false },
        sessionId,
      );
      const loaded = event('Page.loadEventFired', sessionId);
      await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      await loaded;
      return {
        async evaluate<T>(expression: string): Promise<T> {
          const { result, exceptionDetails } = (await send(
            'Runtime.evaluate',
            { expression, returnByValue: true },
            sessionId,
          )) as { result: { value: T }; exceptionDetails?: { text: string } };
          if (exceptionDetails !== undefined) throw new Error(`in the page: ${exceptionDetails.text}`);
          return result.value;
        },
        async screenshot() {
          const { data } = (await send(
            'Page.captureScreenshot',
            { format: 'png', captureBeyondViewport: true },
            sessionId,
          )) as { data: string };
          return Buffer.from(data, 'base64');
        },
        async printToPdf() {
          const { data } = (await send('Page.printToPDF', { printBackground: true }, sessionId)) as {
            data: string;
          };
          return Buffer.from(data, 'base64');
        },
        async emulateMedia(media) {
          await send('Emulation.setEmulatedMedia', { media }, sessionId);
        },
      };
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
