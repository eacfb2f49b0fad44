/** Accounts for browser tests and the designer bench, and signing a page in as one of them. */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Database } from '../../server/db/connect.ts';
import { createAccount, type NewAccount } from '../../server/identity/accounts.ts';
import type { ApiServer } from './api-server.ts';

export interface TestAccount {
  username: string;
  password: string;
  displayName: string;
}

export interface SignedInAccount extends TestAccount {
  /** The session's anti-forgery token, for writes the page sends itself (X-CSRF-Token). */
  csrfToken: string;
}

export const TEST_PASSWORD = 'mat-khau-thu-nghiem-1';

/** An account in the test database (server/identity/accounts.ts), with the test password. */
export async function createTestAccount(db: Database, account: Omit<NewAccount, 'password' | 'identifiedBy'>): Promise<TestAccount> {
  await createAccount(db, { assuranceLevel: 2, ...account, password: TEST_PASSWORD, identifiedBy: 'test' });
  return { username: account.username, password: TEST_PASSWORD, displayName: account.displayName };
}

/**
 * Signs the page's browser context in through POST /api/session: Playwright's `page.request`
 * shares the context's cookies, so the page loaded next is signed in.
 */
export async function signInPage(page: Page, api: ApiServer, account: TestAccount): Promise<SignedInAccount> {
  const response = await page.request.post(`${api.url}/api/session`, { data: { username: account.username, password: account.password } });
  if (response.status() !== 200) throw new Error(`sign-in as ${account.username} answered ${response.status()}: ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { ...account, csrfToken };
}

/** Procedure-control staff: who the designer is for (server/access/route-policies.ts). */
export async function signInAsStaff(db: Database, page: Page, api: ApiServer): Promise<SignedInAccount> {
  // A name of its own each time: the bench may reuse DATABASE_URL's database.
  const username = `kiemsoat.${randomBytes(4).toString('hex')}`;
  return signInPage(page, api, await createTestAccount(db, { username, displayName: 'Nguyễn Thị Hoa', roles: ['staff'] }));
}
