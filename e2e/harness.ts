import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type RunningServer, startServer } from '@mission-control/server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ownerEmail = 'owner@example.com';
export const ownerPassword = 'correct horse battery staple';
export const screenshotDirectory = fileURLToPath(new URL('../test-output/screenshots/', import.meta.url));

export interface Harness {
  server: RunningServer;
  browser: Browser;
  baseUrl: string;
  /** Calls the API as the owner (or with the given token) and returns the parsed body. */
  api<T = unknown>(method: string, apiPath: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  ownerToken: string;
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  login(page: Page, email?: string, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real server on port 0 with a fresh SQLite data dir, and Debian's chromium driven by
 * playwright-core; `environment` adds server settings a test needs (such as private webhook targets).
 */
export async function startHarness(environment: Record<string, string> = {}): Promise<Harness> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-e2e-'));
  const server = await startServer(
    loadConfig(
      {
        MISSION_DATA_DIR: dataDirectory,
        MISSION_ADMIN_EMAIL: ownerEmail,
        MISSION_ADMIN_PASSWORD: ownerPassword,
        // Eight tests share one owner and one server on a loaded 2-core CI machine: the browser
        // tests check the UI, not the per-user request budget (http/rate-limits.test.ts does).
        MISSION_RATE_LIMIT_PER_MINUTE: '100000',
        LOG_LEVEL: 'warn',
        MISSION_LOG_PRETTY: 'false',
        ...environment,
      },
      { port: 0, host: '127.0.0.1' },
    ),
  );
  const baseUrl = server.url;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  fs.mkdirSync(screenshotDirectory, { recursive: true });

  async function api<T>(method: string, apiPath: string, body?: unknown, token?: string) {
    const response = await fetch(`${baseUrl}/api/v1${apiPath}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  const login = await api<{ accessToken: string }>('POST', '/auth/login', { email: ownerEmail, password: ownerPassword });
  const ownerToken = login.body.accessToken;

  return {
    server,
    browser,
    baseUrl,
    ownerToken,
    api: (method, apiPath, body, token) => api(method, apiPath, body, token ?? ownerToken),
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, baseURL: baseUrl });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('dialog', (dialog) => {
        errors.push(`unexpected dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      return { context, page, errors };
    },
    async login(page, email = ownerEmail, password = ownerPassword) {
      await page.goto('/');
      await page.waitForURL(/\/login/);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Board' }).waitFor();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(screenshotDirectory, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
      fs.rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Drags with real pointer events in small steps, as dnd-kit's pointer sensor expects from a person. */
export async function dragTo(page: Page, from: string, to: string): Promise<void> {
  const source = page.locator(from);
  const target = page.locator(to);
  const start = await source.boundingBox();
  const end = await target.boundingBox();
  if (!start || !end) throw new Error(`cannot drag ${from} to ${to}: not visible`);
  await page.mouse.move(start.x + start.width / 2, start.y + 12);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 10, start.y + 20, { steps: 4 });
  await page.mouse.move(end.x + end.width / 2, end.y + 60, { steps: 12 });
  await page.mouse.up();
}
