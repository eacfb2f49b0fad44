import path from 'node:path';
import type { Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgency, mapLane } from '../../server/identity/agencies.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, showInspectorTab, useDesignerPage } from '../support/designer-page.ts';
import { createTestAccount, type TestAccount } from '../support/sign-in.ts';

/** Two agencies of one inter-connected procedure: each lane's user task is one agency's work. */
const AGENCY_X = { code: '000.01.01.H01', name: 'UBND xã Hòa Bình (thử nghiệm)', lane: 'Bộ phận Một cửa xã Hòa Bình' };
const AGENCY_Y = { code: '000.02.01.H02', name: 'Phòng Y tế huyện Tân Lập (thử nghiệm)', lane: 'Phòng Y tế huyện Tân Lập' };

const TWO_AGENCY_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_hai_co_quan" targetNamespace="urn:quytrinh:test">
  <bpmn:process id="Process_hai_co_quan" name="Thủ tục liên thông hai cơ quan" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_x" name="${AGENCY_X.lane}">
        <bpmn:flowNodeRef>Start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Split</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_x</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Join</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_y" name="${AGENCY_Y.lane}">
        <bpmn:flowNodeRef>Task_y</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start" />
    <bpmn:parallelGateway id="Split" />
    <bpmn:userTask id="Task_x" name="Tiếp nhận hồ sơ" qt:dueWorkingHours="8" />
    <bpmn:userTask id="Task_y" name="Cho ý kiến chuyên môn" />
    <bpmn:parallelGateway id="Join" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Split" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Split" targetRef="Task_x" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Split" targetRef="Task_y" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_x" targetRef="Join" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Task_y" targetRef="Join" />
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Join" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

const BUSINESS_KEYS = ['000.01.01.H01-260105-0001', '000.01.01.H01-260105-0002'];

describe.runIf(browserAvailable)('signing in to the designer (Chromium, 1366×768)', () => {
  const designer = useDesignerPage({ signedIn: false });
  const { pageErrors } = designer;
  const page = () => designer.page;
  const accounts = {} as Record<'staff' | 'analyst' | 'official', TestAccount>;

  const signInHeading = () => page().getByRole('heading', { name: 'Đăng nhập' });
  /** Types the credentials and presses Enter, from the username field the page focuses: the keyboard alone. */
  const typeCredentials = async (username: string, password: string) => {
    await page().getByLabel('Tên đăng nhập').focus();
    await page().keyboard.press('Control+A');
    await page().keyboard.type(username);
    await page().keyboard.press('Tab');
    await page().keyboard.type(password);
    await page().keyboard.press('Enter');
  };
  const signInAnswer = () => page().waitForResponse((answer) => answer.url().endsWith('/api/session') && answer.request().method() === 'POST');
  const accountButton = () => page().getByTestId('account-button');
  const signOut = async () => {
    await accountButton().click();
    await page().getByRole('menuitem', { name: 'Đăng xuất', exact: true }).click();
  };

  beforeAll(async () => {
    const { db } = designer.database;
    accounts.staff = await createTestAccount(db, { username: 'kiemsoat.hoa', displayName: 'Nguyễn Thị Hoa', roles: ['staff'] });
    accounts.analyst = await createTestAccount(db, { username: 'phantich.minh', displayName: 'Trần Quang Minh', roles: ['analyst'] });
    for (const agency of [AGENCY_X, AGENCY_Y]) await createAgency(db, { code: agency.code, name: agency.name });
    await mapLane(db, AGENCY_X.lane, AGENCY_X.code, 'tiep-nhan');
    await mapLane(db, AGENCY_Y.lane, AGENCY_Y.code, 'chuyen-vien');
    accounts.official = await createTestAccount(db, {
      username: 'motcua.hoabinh',
      displayName: 'Lê Văn Bình',
      roles: ['official'],
      memberships: [{ agencyCode: AGENCY_X.code, function: 'tiep-nhan' }],
    });
    // The administrator (the tests' token) deploys the procedure and receives two dossiers.
    const deployed = await designer.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: TWO_AGENCY_PROCESS });
    expect(deployed.status).toBe(201);
    for (const businessKey of BUSINESS_KEYS) {
      const started = await designer.api.fetch('/api/definitions/Process_hai_co_quan/instances', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ businessKey }) });
      expect(started.status).toBe(201);
    }
  });

  it('shows the sign-in page first, in Vietnamese and on request in English, under the CSP', async () => {
    const response = await page().goto(designer.api.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signInHeading().waitFor();
    expect(await page().getByText('Dành cho cán bộ kiểm soát thủ tục hành chính và chuyên viên phân tích.').isVisible()).toBe(true);
    // The username field has the focus: a person starts typing at once.
    expect(await page().evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('username');
    expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await page().screenshot({ path: path.join(screenshots, 'sign-in-vi.png') });

    await page().getByRole('button', { name: 'English' }).click();
    await page().getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page().getByLabel('Username').isVisible()).toBe(true);
    expect(await page().getByLabel('Password').isVisible()).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'sign-in-en.png') });
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await signInHeading().waitFor();
  });

  it('refuses a wrong password in the server words, in both languages, and offers the password field again', async () => {
    const [answer] = await Promise.all([signInAnswer(), typeCredentials(accounts.staff.username, 'not-the-password')]);
    expect(answer.status()).toBe(401);
    const error = page().getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu');
    expect(await page().getByLabel('Mật khẩu').inputValue()).toBe('');
    expect(await page().evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('password');
    expect(await page().getByLabel('Mật khẩu').getAttribute('aria-invalid')).toBe('true');

    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => error.textContent()).toBe('Wrong username or password');
    await page().screenshot({ path: path.join(screenshots, 'sign-in-error-en.png') });
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => error.textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu');
  });

  it('says how many minutes to wait after too many failed attempts (429)', async () => {
    // Five failures for one username from this address (the server's limit), then one more in the form.
    for (let attempt = 0; attempt < 5; attempt++) {
      const refused = await page().request.post(`${designer.api.url}/api/session`, { data: { username: 'ai.do', password: 'doan-mo-mat-khau' } });
      expect(refused.status()).toBe(401);
    }
    const [answer] = await Promise.all([signInAnswer(), typeCredentials('ai.do', 'doan-mo-mat-khau')]);
    expect(answer.status()).toBe(429);
    expect(Number(answer.headers()['retry-after'])).toBeGreaterThan(0);
    await expect.poll(() => page().getByRole('alert').textContent()).toBe('Quá nhiều lần thử; thử lại sau 15 phút');
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page().getByRole('alert').textContent()).toBe('Too many attempts; try again in 15 minutes');
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('signs procedure-control staff in: the designer loads with their name and role, and deploys a catalogue model (201)', async () => {
    const [answer] = await Promise.all([signInAnswer(), typeCredentials(accounts.staff.username, accounts.staff.password)]);
    expect(answer.status()).toBe(200);
    await page().locator('.djs-palette .entry').first().waitFor();
    expect(await accountButton().textContent()).toBe('Nguyễn Thị HoaCán bộ kiểm soát TTHC');
    expect(await accountButton().getAttribute('title')).toBe('Đang đăng nhập: Nguyễn Thị Hoa (Cán bộ kiểm soát TTHC)');

    await page().getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|to-be');
    await page().locator('.djs-element[data-element-id="Task_tiep_nhan"]').waitFor();
    const deploy = page().getByRole('button', { name: 'Triển khai', exact: true });
    await showInspectorTab(page(), 'checks');
    // A deployment is of a saved version (docs/models.md): saved first.
    await page().getByRole('button', { name: 'Lưu', exact: true }).click();
    await page().getByRole('dialog', { name: /Lưu phiên bản mới/ }).getByRole('button', { name: 'Lưu phiên bản' }).click();
    await page().getByText('Đã lưu phiên bản 1').waitFor();
    // The live checks must pass first; the first analysis starts its worker thread (a second or two).
    await expect.poll(() => deploy.isEnabled(), { timeout: 20_000 }).toBe(true);
    await page().screenshot({ path: path.join(screenshots, 'signed-in-staff.png') });
    // The session's anti-forgery token changed meanwhile (as when another tab signs in again): the
    // first attempt is refused 403, the client reads the current token and sends the write once more.
    const renewed = 'token-renewed-in-another-tab-0123456789';
    await designer.database.db('sessions').update({ csrf_token: renewed });
    const answers: Array<{ status: number; token: string | undefined }> = [];
    const isDeployment = (response: Response) => response.url().endsWith('/deployments') && response.request().method() === 'POST';
    const record = (response: Response) => {
      if (isDeployment(response)) answers.push({ status: response.status(), token: response.request().headers()['x-csrf-token'] });
    };
    page().on('response', record);
    await deploy.click();
    const confirm = page().getByRole('dialog', { name: 'Triển khai mô hình' }).getByRole('button', { name: 'Triển khai phiên bản 1' });
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    await Promise.all([page().waitForResponse((response) => isDeployment(response) && response.status() === 201), confirm.click()]);
    page().off('response', record);
    expect(answers).toEqual([
      { status: 403, token: expect.not.stringMatching(renewed) },
      { status: 201, token: renewed },
    ]);
    await expect.poll(() => page().getByTestId('deploy-result').textContent()).toBe('Đã triển khai Process_dang_ky_khai_sinh, phiên bản 1');
  });

  it('asks to sign in again when the session has expired, keeping the open model and its unsaved change', async () => {
    await designer.database.db('sessions').update({ expires_at: new Date(Date.now() - 1000) });
    // An edit: the checks send the model to the server, which answers 401.
    await page().evaluate(() => {
      const modeler = window.quyTrinhModeler!;
      const task = modeler.get<{ get(id: string): unknown }>('elementRegistry').get('Task_tiep_nhan');
      modeler.get<{ updateLabel(element: unknown, text: string): void }>('modeling').updateLabel(task, 'Tiếp nhận và kiểm tra hồ sơ');
    });
    const dialog = page().getByRole('dialog', { name: 'Phiên đăng nhập đã hết hạn' });
    await dialog.waitFor();
    await page().screenshot({ path: path.join(screenshots, 'session-expired.png') });
    expect(await dialog.getByLabel('Tên đăng nhập').evaluate((input) => input === document.activeElement)).toBe(true);

    const [answer] = await Promise.all([signInAnswer(), typeCredentials(accounts.staff.username, accounts.staff.password)]);
    expect(answer.status()).toBe(200);
    await dialog.waitFor({ state: 'hidden' });
    expect(await page().locator('.djs-element[data-element-id="Task_tiep_nhan"] .djs-label, .djs-element[data-element-id="Task_tiep_nhan"] text').first().textContent()).toContain('Tiếp nhận và kiểm tra');
    expect(await page().getByTestId('dirty-indicator').isVisible()).toBe(true);
    // The checks refused meanwhile are asked again, so deployment is not left blocked by them (only by the unsaved change).
    await expect.poll(() => page().getByTestId('deploy-blockers').textContent(), { timeout: 20_000 }).toBe('Chưa triển khai được:Mô hình chưa được lưu: lưu trước khi triển khai, để biết phiên bản nào chạy');
  });

  it('signs out (the unsaved change let go on confirmation) back to the sign-in page', async () => {
    await signOut();
    const confirm = page().getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Bỏ thay đổi và tiếp tục' }).click();
    await signInHeading().waitFor();
    const session = await page().request.get(`${designer.api.url}/api/session`);
    expect(await session.json()).toEqual({ signedIn: false, sso: { enabled: false } });
  });

  it('lets an analyst view and analyse, with saving and deploying disabled and saying why; sign-out everywhere ends their other sessions', async () => {
    // Another session of the analyst, elsewhere.
    const elsewhere = await fetch(`${designer.api.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: accounts.analyst.username, password: accounts.analyst.password }) });
    const otherCookie = elsewhere.headers.get('set-cookie')!.split(';')[0]!;

    await typeCredentials(accounts.analyst.username, accounts.analyst.password);
    await page().locator('.djs-palette .entry').first().waitFor();
    expect(await accountButton().textContent()).toBe('Trần Quang MinhChuyên viên phân tích');
    const save = page().getByRole('button', { name: 'Lưu', exact: true });
    expect(await save.isDisabled()).toBe(true);
    const why = 'Chuyên viên phân tích chỉ xem và phân tích; lưu và triển khai do cán bộ kiểm soát TTHC thực hiện';
    expect(await save.locator('..').getAttribute('title')).toBe(why);
    await page().getByLabel('Danh mục thủ tục').selectOption('dang-ky-khai-sinh|to-be');
    await page().locator('.djs-element[data-element-id="Task_tiep_nhan"]').waitFor();
    await page().getByTestId('cost-per-dossier').waitFor();
    await expect.poll(() => page().getByTestId('deploy-blockers').textContent()).toContain('Vai trò của bạn chỉ xem và phân tích, không triển khai');
    const deploy = page().getByRole('button', { name: 'Triển khai', exact: true });
    await showInspectorTab(page(), 'checks');
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.locator('..').getAttribute('title')).toBe(why);
    // Ctrl+S opens no save dialog.
    await page().keyboard.press('Control+s');
    expect(await page().getByRole('dialog').count()).toBe(0);

    // The account menu by keyboard: Enter opens it on its first item, Escape closes it back to the button,
    // the arrow moves to the second item.
    await accountButton().focus();
    await page().keyboard.press('Enter');
    await expect.poll(() => page().evaluate(() => document.activeElement?.textContent)).toBe('Đăng xuất');
    await page().keyboard.press('Escape');
    expect(await page().getByRole('menu').count()).toBe(0);
    expect(await accountButton().evaluate((button) => button === document.activeElement)).toBe(true);
    await page().keyboard.press('Enter');
    await expect.poll(() => page().evaluate(() => document.activeElement?.textContent)).toBe('Đăng xuất');
    await page().keyboard.press('ArrowDown');
    expect(await page().evaluate(() => document.activeElement?.textContent)).toBe('Đăng xuất khỏi mọi thiết bị');
    await page().screenshot({ path: path.join(screenshots, 'account-menu.png') });
    await page().keyboard.press('Enter');
    await signInHeading().waitFor();
    expect(await page().getByRole('status').textContent()).toBe('Đã kết thúc mọi phiên đăng nhập của tài khoản');
    const other = await fetch(`${designer.api.url}/api/session`, { headers: { cookie: otherCookie } });
    expect(await other.json()).toEqual({ signedIn: false, sso: { enabled: false } });
  });

  it("tells an official politely that the designer is not for them; their tasks are their agency's lanes' only", async () => {
    await typeCredentials(accounts.official.username, accounts.official.password);
    await page().getByRole('heading', { name: 'Công cụ này không dành cho tài khoản của bạn' }).waitFor();
    expect(await page().getByTestId('not-for-you').textContent()).toContain('dành cho cán bộ kiểm soát thủ tục hành chính và chuyên viên phân tích');
    expect(await page().getByText('Lê Văn Bình').isVisible()).toBe(true);
    expect(await page().locator('.djs-palette').count()).toBe(0);
    await page().screenshot({ path: path.join(screenshots, 'not-for-you-vi.png') });
    await page().getByRole('button', { name: 'English' }).click();
    await page().getByRole('heading', { name: 'This tool is not meant for your account' }).waitFor();
    expect(await page().getByTestId('not-for-you').textContent()).toContain('The process designer is for procedure-control staff and analysts.');
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();

    // The official's own session (the page's cookie): agency X's lane, never agency Y's.
    const mine = ((await (await page().request.get(`${designer.api.url}/api/tasks`)).json()) as { items: Array<{ candidateGroup: string; name: string }> }).items;
    expect(mine.map((task) => `${task.candidateGroup}: ${task.name}`)).toEqual(BUSINESS_KEYS.map(() => `${AGENCY_X.lane}: Tiếp nhận hồ sơ`));
    // Agency Y's tasks are there all the same: the administrator sees both lanes.
    const all = ((await (await designer.api.fetch('/api/tasks')).json()) as { items: Array<{ candidateGroup: string }> }).items;
    expect(all.filter((task) => task.candidateGroup === AGENCY_Y.lane)).toHaveLength(BUSINESS_KEYS.length);

    await page().getByRole('button', { name: 'Đăng xuất' }).click();
    await signInHeading().waitFor();
  });

  it("shows anyone, signed out, only a dossier's code, procedure and level", async () => {
    const response = await fetch(`${designer.api.url}/api/lookup/${BUSINESS_KEYS[0]}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'kind', 'level', 'procedure']);
    expect(body).toEqual({ code: BUSINESS_KEYS[0], kind: 'dossier', procedure: 'Thủ tục liên thông hai cơ quan', level: { code: 'dang-xu-ly', vi: 'Đang giải quyết', en: 'Being processed' } });
  });

  it('logged no error or warning in the page but the refusals it provoked (401, 403, 429)', () => {
    const provoked = /Failed to load resource: the server responded with a status of (401|403|429)/;
    expect(pageErrors.filter((error) => provoked.test(error)).length).toBeGreaterThan(0);
    expect(pageErrors.filter((error) => !provoked.test(error))).toEqual([]);
  });
});
