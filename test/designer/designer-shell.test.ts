import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDesignerBuilt } from '../../server/designer-build.ts';
import { projectRoot } from '../../server/paths.ts';
import { startApiServer, type ApiServer } from '../support/api-server.ts';
import { browserAvailable, launchChromium } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const screenshots = path.join(projectRoot, 'screenshots');

describe.runIf(browserAvailable)('the designer in Chromium', () => {
  let database: TestDatabase;
  let api: ApiServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const designerDir = await ensureDesignerBuilt(pino({ level: 'silent' }));
    database = await createTestDatabase();
    api = await startApiServer(database.db, designerDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page.on('console', (message) => {
      // The live cost of a model that lacks the cost attributes (a new diagram) is answered 422 with its problems: the designer shows them.
      if (message.location().url.endsWith('/api/analysis/procedure') && message.text().includes('422')) return;
      if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => {
      // A live-cost request overtaken by a newer change is cancelled on purpose.
      if (request.url().endsWith('/api/analysis/procedure') && request.failure()?.errorText === 'net::ERR_ABORTED') return;
      pageErrors.push(`requestfailed: ${request.url()}`);
    });
    await mkdir(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await database?.drop();
  });

  it('renders an empty bpmn-js modeler with its palette', async () => {
    await page.goto(api.url);
    await page.locator('.djs-container svg').first().waitFor();
    await expect.poll(() => page.locator('.djs-palette .entry').count()).toBeGreaterThan(10);
    // A new diagram is bpmn-js's blank one: a single start event.
    expect(await page.locator('.djs-element.djs-shape[data-element-id^="StartEvent_"]').count()).toBe(1);
    await page.getByText('CSDL hoạt động').waitFor();
  });

  it('draws a task from the palette and exports it as BPMN XML', async () => {
    await page.locator('.djs-palette .entry.bpmn-icon-task').click();
    const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await page.mouse.move(canvas.x + 420, canvas.y + 260);
    await page.mouse.click(canvas.x + 420, canvas.y + 260);
    await expect.poll(() => page.locator('.djs-element.djs-shape[data-element-id^="Activity_"]').count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải BPMN' }).click()]);
    expect(download.suggestedFilename()).toBe('Quy-trinh-chua-dat-ten.bpmn');
    const xml = await readFile(await download.path(), 'utf8');
    expect(xml).toMatch(/<bpmn:task id="Activity_\w+"/);
    expect(xml).toMatch(/<bpmndi:BPMNShape id="Activity_\w+_di" bpmnElement="Activity_\w+">/);
  });

  it('saves the drawing to the server as version 1 and lists it', async () => {
    await page.getByLabel('Tên mô hình').fill('Đăng ký khai sinh');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu phiên bản 1').waitFor();
    await page.locator('.sidebar').getByText('Đăng ký khai sinh').waitFor();
    const [stored] = await database.db('procedure_model_versions').select<Array<{ xml: string }>>('xml');
    expect(stored?.xml).toMatch(/<bpmn:task id="Activity_/);
    await page.screenshot({ path: path.join(screenshots, 'designer-vi.png') });
  });

  it('switches to English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Download BPMN' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'designer-en.png') });
  });

  it('logged no error or warning in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
