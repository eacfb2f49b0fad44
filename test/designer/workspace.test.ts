import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgency, mapLane } from '../../server/identity/agencies.ts';
import { useJobRunner } from '../support/api-server.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';
import { createTestAccount, TEST_PASSWORD, type TestAccount } from '../support/sign-in.ts';

const AGENCY = { code: '000.01.01.H01', name: 'UBND xã Hòa Bình (thử nghiệm)' };
const RECEIPT_LANE = 'Bộ phận Một cửa xã Hòa Bình';
const APPROVAL_LANE = 'Lãnh đạo UBND xã Hòa Bình';
const PROCEDURE_CODE = 'local:xac-nhan-cu-tru-thu-nghiem';

/** The application form (tờ khai) and the approver's decision form, form-js schemas. */
const APPLICATION_FORM = {
  type: 'default',
  id: `${PROCEDURE_CODE}.to-khai`,
  schemaVersion: 16,
  components: [
    { type: 'textfield', key: 'hoTen', label: 'Họ và tên', validate: { required: true } },
    { type: 'textfield', key: 'diaChi', label: 'Địa chỉ thường trú', validate: { required: true } },
  ],
};

/**
 * A procedure as docs/dossiers.md draws one: the applicant's lane, the application form on the
 * start event and the applicant's submission step, the receipt check (Decree 45 Art. 11.2–11.4,
 * 8 working hours), one amendment loop, the approver's decision.
 */
const PROCEDURE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:qt="urn:quytrinh:bpmn:1.0" id="Definitions_cu_tru" targetNamespace="urn:quytrinh:test">
  <bpmn:process id="Process_xac_nhan_cu_tru" name="Xác nhận thông tin cư trú (thử nghiệm)" isExecutable="true" qt:procedureCode="${PROCEDURE_CODE}">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_cong_dan" name="Công dân" qt:applicant="true">
        <bpmn:flowNodeRef>Start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_nop</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_bo_sung</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_mot_cua" name="${RECEIPT_LANE}">
        <bpmn:flowNodeRef>Task_tiep_nhan</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gateway_bo_sung</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_lanh_dao" name="${APPROVAL_LANE}">
        <bpmn:flowNodeRef>Task_phe_duyet</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_ky_so</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start" qt:form="to-khai" />
    <bpmn:userTask id="Task_nop" name="Kê khai tờ khai, nộp hồ sơ trực tuyến" qt:form="to-khai" />
    <bpmn:userTask id="Task_tiep_nhan" name="Kiểm tra, tiếp nhận hồ sơ" qt:dossierStep="receipt" qt:dueWorkingHours="8" />
    <bpmn:exclusiveGateway id="Gateway_bo_sung" name="Cần bổ sung?" default="Flow_du" />
    <bpmn:userTask id="Task_bo_sung" name="Bổ sung hồ sơ" qt:form="to-khai" />
    <bpmn:userTask id="Task_phe_duyet" name="Phê duyệt" />
    <bpmn:serviceTask id="Task_ky_so" name="Cấp mã kết quả" qt:jobType="result.sign" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_nop" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_nop" targetRef="Task_tiep_nhan" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_tiep_nhan" targetRef="Gateway_bo_sung" />
    <bpmn:sequenceFlow id="Flow_bo_sung" sourceRef="Gateway_bo_sung" targetRef="Task_bo_sung">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= canBoSung = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_bo_sung" targetRef="Task_tiep_nhan" />
    <bpmn:sequenceFlow id="Flow_du" sourceRef="Gateway_bo_sung" targetRef="Task_phe_duyet" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Task_phe_duyet" targetRef="Task_ky_so" />
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Task_ky_so" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

interface ApiSession {
  cookie: string;
  csrfToken: string;
}

describe.runIf(browserAvailable)('the officials\u2019 workspace /xu-ly (Chromium, 1366×768)', () => {
  const designer = useDesignerPage({ signedIn: false });
  // The built-in workers: result.sign issues the approved dossier's result (Decree 45 Art. 14.3.d).
  useJobRunner(designer);
  const page = () => designer.page;
  const officials = {} as Record<'receiver' | 'colleague' | 'approver', TestAccount>;
  /** The dossiers by applicant, as the citizens submitted them: id and code. */
  const dossiers = new Map<string, { id: string; code: string }>();
  const applicants = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em'];

  /** A session of the API as an account, the way a browser has one: its cookie and anti-forgery token. */
  const signIn = async (account: { username: string; password: string }): Promise<ApiSession> => {
    const response = await fetch(`${designer.api.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(account) });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().map((set) => set.split(';')[0]).join('; ');
    return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
  };
  const call = async (session: ApiSession, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${designer.api.url}${url}`, {
      method,
      headers: { cookie: session.cookie, 'X-CSRF-Token': session.csrfToken, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };
  /** Submits an application as a new citizen of that name (POST /api/dossiers). */
  const submit = async (name: string, index: number) => {
    const username = `0010990${String(10_000 + index)}`;
    await createTestAccount(designer.database.db, { username, displayName: name, roles: ['citizen'], holder: { kind: 'person', id: username } });
    const citizen = await signIn({ username, password: TEST_PASSWORD });
    const form = await call(citizen, 'GET', '/api/portal/procedures/Process_xac_nhan_cu_tru/form');
    expect(form.status).toBe(200);
    const submitted = await call(citizen, 'POST', '/api/dossiers', { procedureKey: 'Process_xac_nhan_cu_tru', agencyCode: AGENCY.code, formVersion: form.body!.form.version, data: { hoTen: name, diaChi: 'Thôn Đông, xã Hòa Bình' }, components: [] });
    expect(submitted.status).toBe(201);
    const dossier = submitted.body!.dossier as { id: string; code: string };
    dossiers.set(name, dossier);
    return { citizen, dossier };
  };
  const rows = () => page().getByTestId('task-row');
  const codesShown = () => rows().evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.code));
  const row = (name: string) => page().locator(`[data-testid="task-row"][data-code="${dossiers.get(name)!.code}"]`);
  const typeSearch = async (text: string) => {
    const search = page().getByTestId('task-search');
    await search.fill(text);
    await Promise.all([page().waitForResponse((answer) => answer.url().includes('/api/tasks?')), search.press('Enter')]);
  };

  beforeAll(async () => {
    const { db } = designer.database;
    await createAgency(db, AGENCY);
    await mapLane(db, RECEIPT_LANE, AGENCY.code, 'tiep-nhan');
    await mapLane(db, APPROVAL_LANE, AGENCY.code, 'lanh-dao');
    officials.receiver = await createTestAccount(db, { username: 'motcua.hoabinh', displayName: 'Lê Thị Hương', roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'tiep-nhan' }] });
    officials.colleague = await createTestAccount(db, { username: 'motcua2.hoabinh', displayName: 'Đỗ Văn Minh', roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'tiep-nhan' }] });
    officials.approver = await createTestAccount(db, { username: 'lanhdao.hoabinh', displayName: 'Vũ Quang Hải', roles: ['official'], memberships: [{ agencyCode: AGENCY.code, function: 'lanh-dao' }] });
    const deployed = await designer.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: PROCEDURE });
    expect(deployed.status).toBe(201);
    const saved = await designer.api.fetch(`/api/forms/${encodeURIComponent(`${PROCEDURE_CODE}.to-khai`)}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(APPLICATION_FORM) });
    expect(saved.status).toBeLessThan(300);
    for (const [index, name] of applicants.slice(0, 3).entries()) await submit(name, index);
    // Time passes: Bình's receipt check is two weeks late (working hours late whatever the day), An's due later than Cường's.
    const dueIn = (hours: number) => new Date(Date.now() + hours * 3_600_000);
    const dueOf = async (name: string, at: Date) => {
      const instance = await db('dossiers').where({ id: dossiers.get(name)!.id }).first<{ instance_id: string }>('instance_id');
      await db('user_tasks').where({ instance_id: instance.instance_id, element_id: 'Task_tiep_nhan', status: 'open' }).update({ due_at: at });
      await db('dossiers').where({ id: dossiers.get(name)!.id }).update({ receipt_due_at: at });
    };
    await dueOf('Nguyễn Văn An', dueIn(400));
    await dueOf('Trần Thị Bình', dueIn(-14 * 24));
    await dueOf('Lê Văn Cường', dueIn(200));
  });

  it('signs an official in by keyboard and shows the inbox overdue first, with working hours left', async () => {
    await page().goto(`${designer.api.url}/xu-ly`);
    await page().getByRole('heading', { name: 'Đăng nhập xử lý hồ sơ' }).waitFor();
    await page().keyboard.type(officials.receiver.username);
    await page().keyboard.press('Tab');
    await page().keyboard.type(officials.receiver.password);
    await page().keyboard.press('Enter');
    await page().getByTestId('task-total').waitFor();
    await expect.poll(codesShown).toEqual(['Trần Thị Bình', 'Lê Văn Cường', 'Nguyễn Văn An'].map((name) => dossiers.get(name)!.code));
    expect(await row('Trần Thị Bình').getByTestId('task-deadline').textContent()).toMatch(/^quá hạn [\d,]+ giờ · \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    expect(await row('Lê Văn Cường').getByTestId('task-deadline').textContent()).toMatch(/^còn [\d.,]+ giờ làm việc · \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    expect(await row('Trần Thị Bình').textContent()).toContain('Xác nhận thông tin cư trú (thử nghiệm)');
    expect(await page().evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    expect(await page().evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(768);
    await page().screenshot({ path: path.join(screenshots, 'workspace-inbox.png') });
    await page().getByRole('button', { name: 'English' }).click();
    await expect.poll(() => row('Lê Văn Cường').getByTestId('task-deadline').textContent()).toMatch(/^[\d.,]+ working hours left · /);
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('searches by applicant and by dossier code', async () => {
    await typeSearch('Cường');
    await expect.poll(codesShown).toEqual([dossiers.get('Lê Văn Cường')!.code]);
    await typeSearch(dossiers.get('Nguyễn Văn An')!.code);
    await expect.poll(codesShown).toEqual([dossiers.get('Nguyễn Văn An')!.code]);
    await typeSearch('');
    await expect.poll(async () => (await codesShown()).length).toBe(3);
  });

  it('claims a task, filters to "mine", gives it back and assigns it to a colleague', async () => {
    await row('Lê Văn Cường').getByRole('button', { name: /^Nhận việc/ }).click();
    await expect.poll(() => row('Lê Văn Cường').getByTestId('task-assignee').textContent()).toBe(`${officials.receiver.username} (bạn)`);
    await Promise.all([page().waitForResponse((answer) => answer.url().includes('mine=true')), page().getByLabel('Của tôi').check()]);
    await expect.poll(codesShown).toEqual([dossiers.get('Lê Văn Cường')!.code]);
    await page().getByLabel('Của tôi').uncheck();
    await expect.poll(async () => (await codesShown()).length).toBe(3);
    await row('Lê Văn Cường').getByRole('button', { name: 'Trả lại' }).click();
    await expect.poll(() => row('Lê Văn Cường').getByTestId('task-assignee').textContent()).toBe('Chưa ai nhận');
    await row('Lê Văn Cường').getByRole('button', { name: 'Giao cho' }).click();
    await page().getByLabel('Tên đăng nhập của đồng nghiệp').fill(officials.colleague.username);
    await page().getByRole('button', { name: 'Giao', exact: true }).click();
    await expect.poll(() => row('Lê Văn Cường').getByTestId('task-assignee').textContent()).toBe(officials.colleague.username);
  });

  it('is usable by keyboard alone: arrows between tasks, Enter opens the dossier', async () => {
    await page().getByTestId('task-search').focus();
    // From the search box, Tab reaches the first task after the filter, refresh and bulk controls.
    for (let step = 0; step < 12 && !(await page().evaluate(() => document.activeElement?.classList.contains('ws-task-open'))); step++) await page().keyboard.press('Tab');
    expect(await page().evaluate(() => (document.activeElement?.closest('[data-testid="task-row"]') as HTMLElement | null)?.dataset.code)).toBe(dossiers.get('Trần Thị Bình')!.code);
    await page().keyboard.press('ArrowDown');
    expect(await page().evaluate(() => (document.activeElement?.closest('[data-testid="task-row"]') as HTMLElement | null)?.dataset.code)).toBe(dossiers.get('Lê Văn Cường')!.code);
    await page().keyboard.press('ArrowUp');
    await page().keyboard.press('Enter');
    const heading = page().getByRole('heading', { name: `Hồ sơ ${dossiers.get('Trần Thị Bình')!.code}` });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
    await page().getByTestId('dossier-form').locator('input').first().waitFor();
    expect(await page().getByTestId('dossier-form').locator('input').first().inputValue()).toBe('Trần Thị Bình');
    expect(await page().getByTestId('receipt-due').textContent()).toContain('Quá hạn kiểm tra tiếp nhận');
    await page().screenshot({ path: path.join(screenshots, 'workspace-dossier.png') });
    // In English: the workspace's words, the server's status text, the deadline.
    await page().getByRole('button', { name: 'English' }).click();
    await page().getByRole('heading', { name: `Dossier ${dossiers.get('Trần Thị Bình')!.code}` }).waitFor();
    expect(await page().getByRole('button', { name: 'Request amendment (once)' }).isVisible()).toBe(true);
    expect(await page().getByTestId('dossier-status').textContent()).toBe('Submitted, awaiting receipt');
    expect(await page().getByTestId('receipt-due').textContent()).toContain('Receipt check overdue');
    await page().screenshot({ path: path.join(screenshots, 'workspace-dossier-en.png') });
    await page().getByRole('button', { name: 'Tiếng Việt' }).click();
    await page().getByRole('button', { name: 'Yêu cầu bổ sung (một lần)' }).waitFor();
  });

  it('asks for an amendment once: the second request is refused (409) and the button then says why', async () => {
    // The view of Bình's dossier is open; meanwhile a colleague asks for the amendment.
    const colleague = await signIn(officials.colleague);
    const first = await call(colleague, 'POST', `/api/dossiers/${dossiers.get('Trần Thị Bình')!.id}/request-amendment`, { items: ['Bản sao giấy khai sinh'] });
    expect(first.status).toBe(200);
    await page().getByRole('button', { name: 'Yêu cầu bổ sung (một lần)' }).click();
    await page().getByLabel('Nội dung cần bổ sung, mỗi dòng một mục').fill('Bản sao sổ hộ khẩu\nẢnh chân dung 4×6');
    const [answer] = await Promise.all([page().waitForResponse((response) => response.url().endsWith('/request-amendment')), page().getByRole('button', { name: 'Gửi' }).click()]);
    expect(answer.status()).toBe(409);
    const problem = page().getByTestId('action-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('dossier.amendment-already-requested');
    await page().screenshot({ path: path.join(screenshots, 'workspace-amendment-409.png') });

    // The applicant supplements; the receipt check is back, its amendment button disabled, saying why.
    const citizen = await signIn({ username: '001099010001', password: TEST_PASSWORD });
    const amended = await call(citizen, 'POST', `/api/dossiers/${dossiers.get('Trần Thị Bình')!.id}/amend`, { data: { hoTen: 'Trần Thị Bình', diaChi: 'Thôn Đông, xã Hòa Bình' }, components: [] });
    expect(amended, JSON.stringify(amended.body)).toMatchObject({ status: 200 });
    await Promise.all([page().waitForResponse((response) => response.url().includes('/api/tasks?')), page().getByRole('button', { name: 'Tải lại' }).click()]);
    await row('Trần Thị Bình').locator('.ws-task-open').click();
    const amend = page().getByRole('button', { name: 'Yêu cầu bổ sung (một lần)' });
    await expect.poll(() => amend.isDisabled()).toBe(true);
    expect(await page().getByTestId('amendment-once').textContent()).toMatch(/^Đã yêu cầu bổ sung một lần ngày \d\d\/\d\d\/\d{4} \d\d:\d\d: chỉ được yêu cầu một lần/);
  });

  it('receives a dossier, and refuses another with its reasons', async () => {
    await page().getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await expect.poll(() => page().getByTestId('action-notice').textContent()).toBe('Đã tiếp nhận hồ sơ.');
    await expect.poll(() => page().getByTestId('dossier-status').textContent()).not.toBe('');
    await expect.poll(async () => (await codesShown()).includes(dossiers.get('Trần Thị Bình')!.code)).toBe(false);

    await row('Nguyễn Văn An').locator('.ws-task-open').click();
    await page().getByRole('button', { name: 'Từ chối tiếp nhận' }).click();
    // No reason: refused in the page, nothing sent.
    await page().getByRole('button', { name: 'Từ chối tiếp nhận' }).last().click();
    expect(await page().getByText('Nhập ít nhất một dòng.').isVisible()).toBe(true);
    await page().getByLabel('Lý do từ chối, mỗi dòng một lý do').fill('Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã');
    await page().getByRole('button', { name: 'Từ chối tiếp nhận' }).last().click();
    await expect.poll(() => page().getByTestId('action-notice').textContent()).toBe('Đã từ chối tiếp nhận hồ sơ.');
    const stored = await designer.api.fetch(`/api/dossiers/${dossiers.get('Nguyễn Văn An')!.id}`);
    expect(((await stored.json()) as { refusal: { reasons: string[] } }).refusal.reasons).toEqual(['Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã']);
  });

  it('receives several dossiers at once, one request each, showing the progress', async () => {
    for (const [index, name] of applicants.slice(3).entries()) await submit(name, index + 3);
    await page().getByRole('button', { name: 'Tải lại' }).click();
    await row('Phạm Thị Dung').waitFor();
    await row('Phạm Thị Dung').getByRole('checkbox').check();
    await row('Hoàng Văn Em').getByRole('checkbox').check();
    const receipts: string[] = [];
    page().on('response', (response) => response.url().endsWith('/receive') && receipts.push(`${response.status()} ${response.url()}`));
    await page().getByRole('button', { name: 'Tiếp nhận 2 hồ sơ đã chọn' }).click();
    await expect.poll(() => page().getByTestId('bulk-progress').textContent()).toBe('Đã tiếp nhận 2/2 hồ sơ');
    expect(receipts.sort()).toEqual(['Phạm Thị Dung', 'Hoàng Văn Em'].map((name) => `200 ${designer.api.url}/api/dossiers/${dossiers.get(name)!.id}/receive`).sort());
    await expect.poll(async () => (await codesShown()).filter((code) => code === dossiers.get('Phạm Thị Dung')!.code || code === dossiers.get('Hoàng Văn Em')!.code)).toEqual([]);
    await page().screenshot({ path: path.join(screenshots, 'workspace-bulk.png') });
  });

  it("lets the approver complete the step, then annul the issued result, which the public lookup then calls annulled", async () => {
    await page().getByRole('button', { name: 'Đăng xuất' }).click();
    await page().getByLabel('Tên đăng nhập').fill(officials.approver.username);
    await page().getByLabel('Mật khẩu').fill(officials.approver.password);
    await page().keyboard.press('Enter');
    // Bình's dossier, received above, waits for the approval.
    await row('Trần Thị Bình').locator('.ws-task-open').click();
    const complete = page().getByRole('button', { name: 'Hoàn thành / Chuyển bước' });
    await expect.poll(() => complete.isEnabled()).toBe(true);
    await complete.click();
    await expect.poll(() => page().getByTestId('action-notice').textContent()).toBe('Đã hoàn thành bước.');
    const resultCode = `${dossiers.get('Trần Thị Bình')!.code}-KQ1`;
    // The worker issues the result; the approver finds the settled dossier by its code.
    await expect.poll(async () => (await designer.database.db('dossier_results').where({ code: resultCode }).first('code')) !== undefined, { timeout: 20_000 }).toBe(true);
    await typeSearch(dossiers.get('Trần Thị Bình')!.code);
    await page().getByTestId('dossier-matches').getByRole('button', { name: dossiers.get('Trần Thị Bình')!.code }).click();
    await page().getByRole('button', { name: 'Huỷ kết quả' }).click();
    const dialog = page().getByRole('alertdialog', { name: `Huỷ kết quả ${resultCode}?` });
    // No reason, no annulment: the confirmation stays disabled.
    expect(await dialog.getByRole('button', { name: 'Huỷ kết quả' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Lý do huỷ').fill('Cấp nhầm địa chỉ thường trú');
    await dialog.getByRole('button', { name: 'Huỷ kết quả' }).click();
    await expect.poll(() => page().getByTestId('action-notice').textContent()).toBe(`Đã huỷ kết quả ${resultCode}.`);
    await expect.poll(() => page().getByTestId('dossier-results').textContent()).toContain('Đã huỷ');
    expect(await page().getByTestId('dossier-results').textContent()).toContain('Cấp nhầm địa chỉ thường trú');

    await page().goto(`${designer.api.url}/tra-cuu/${resultCode}`);
    await page().getByTestId('lookup-annulled').waitFor();
    expect(await page().getByTestId('lookup-annulled').locator('strong').textContent()).toBe('Kết quả đã bị huỷ');
    expect(await page().getByTestId('lookup-procedure').textContent()).toBe('Xác nhận thông tin cư trú (thử nghiệm)');
    await page().screenshot({ path: path.join(screenshots, 'lookup-annulled.png') });
  });
});
