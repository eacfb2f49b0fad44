import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureDesignerBuilt } from '../../server/designer-build.ts';
import { projectRoot } from '../../server/paths.ts';
import { startApiServer, type ApiServer } from './api-server.ts';
import { launchChromium } from './browser.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { signInAsStaff, type SignedInAccount } from './sign-in.ts';

/** Where browser tests save the screenshots a person looks at (git-ignored). */
export const screenshots = path.join(projectRoot, 'screenshots');

export interface DesignerPage {
  readonly database: TestDatabase;
  readonly api: ApiServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and warnings, page errors and failed requests the designer was not expected to cause. */
  readonly pageErrors: string[];
  /** The procedure-control officer the page is signed in as (none when asked to start signed out). */
  readonly staff: SignedInAccount | undefined;
}

/**
 * The designer as a user meets it: the built app served over a fresh test database, in Chromium at
 * 1366×768, signed in as procedure-control staff unless `signedIn` is false.
 */
export function useDesignerPage(options: { signedIn?: boolean } = {}): DesignerPage {
  const fixture = { pageErrors: [] as string[] } as { -readonly [K in keyof DesignerPage]: DesignerPage[K] };
  beforeAll(async () => {
    const designerDir = await ensureDesignerBuilt(pino({ level: 'silent' }));
    fixture.database = await createTestDatabase();
    fixture.api = await startApiServer(fixture.database.db, designerDir);
    fixture.browser = await launchChromium();
    const page = await fixture.browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    fixture.page = page;
    page.on('console', (message) => {
      // A model the engine refuses to deploy is answered 422: the designer lists why.
      if (/\/api\/(definitions|models\/[\w-]+\/deployments)$/.test(message.location().url) && message.text().includes('422')) return;
      if (message.type() === 'error' || message.type() === 'warning') fixture.pageErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => fixture.pageErrors.push(`pageerror: ${error.message}`));
    // A request the designer itself aborted (a live check overtaken by the next edit) is not a failure.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') fixture.pageErrors.push(`requestfailed: ${request.url()}`);
    });
    if (options.signedIn !== false) fixture.staff = await signInAsStaff(fixture.database.db, page, fixture.api);
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.api?.close();
    await fixture.database?.drop();
  });
  return fixture;
}

/** Shows one of the designer's side panels (designer/src/InspectorTabs.tsx): the properties, or the checks with the deployment. */
export const showInspectorTab = (page: Page, tab: 'properties' | 'checks') => page.locator(`#tab-${tab}`).click();
