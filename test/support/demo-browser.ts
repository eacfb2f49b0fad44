import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../server/identity/demo.ts';
import type { DesignerPage } from './designer-page.ts';

/**
 * Each person of a journey test in their own browser session (a context of its own: cookies are
 * not shared), signed in with a demo account on a page of the product, at 1366×768 in Vietnamese
 * and Vietnam time. `errors`, when given, collects the page's uncaught errors and console errors
 * from the first load on. `close` ends every session opened.
 */
export function demoBrowserSessions(product: DesignerPage): { signedIn(where: string, username: string, errors?: string[]): Promise<Page>; close(): Promise<void> } {
  const contexts: BrowserContext[] = [];
  return {
    async signedIn(where, username, errors) {
      const context = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      contexts.push(context);
      const page = await context.newPage();
      if (errors) {
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
      }
      await page.goto(`${product.api.url}${where}`);
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
      const [signIn] = await Promise.all([
        page.waitForResponse((response) => new URL(response.url()).pathname === '/api/session' && response.request().method() === 'POST'),
        page.keyboard.press('Enter'),
      ]);
      expect(signIn.status(), username).toBe(200);
      return page;
    },
    async close() {
      for (const context of contexts.splice(0)) await context.close();
    },
  };
}
