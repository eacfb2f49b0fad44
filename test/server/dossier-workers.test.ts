import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { loadCatalogue } from '../../engine/catalogue/index.ts';
import type { RunEvent } from '../../engine/runtime/run-events.ts';
import { SERVICE_TASK_JOB } from '../../server/execution/job-kinds.ts';
import { isBuiltinJobType } from '../../server/workers/job-types.ts';
import type { JobRunnerOptions } from '../../server/execution/worker.ts';
import { createAccount } from '../../server/identity/accounts.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { projectRoot } from '../../server/paths.ts';
import { noticeMailTask } from '../../server/workers/notice-mail.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * The built-in workers of the catalogue's job types, through the real job runner over a real
 * PostgreSQL: the dossier rows are written straight in SQL (as the dossier API would), the
 * steps run as graphile-worker jobs, and the notices' e-mails reach an SMTP server on loopback.
 */
const full = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận, kiểm tra hồ sơ" qt:dueWorkingHours="8"/>
  <bpmn:serviceTask id="lookup" name="Đối chiếu CSDL dân cư" qt:jobType="datastore.lookup"/>
  <bpmn:sendTask id="guide" name="Thông báo hướng dẫn bổ sung một lần" qt:jobType="notify.applicant"/>
  <bpmn:userTask id="amend" name="Bổ sung hồ sơ"/>
  <bpmn:serviceTask id="sign1" name="Gán mã kết quả" qt:jobType="result.sign"/>
  <bpmn:serviceTask id="post" name="Gửi bản giấy qua bưu chính công ích" qt:jobType="result.post"/>
  <bpmn:serviceTask id="sign2" name="Gán mã kết quả thứ hai" qt:jobType="result.sign"/>
  <bpmn:sendTask id="inform" name="Thông báo kết quả giải quyết" qt:jobType="notify.applicant"/>
  <bpmn:serviceTask id="publish" name="Niêm yết công khai tại UBND xã" qt:jobType="notice.publish"/>
  <bpmn:serviceTask id="register" name="Công bố nội dung đăng ký" qt:jobType="registration.publish"/>
  <bpmn:serviceTask id="reside" name="Cập nhật CSDL cư trú" qt:jobType="residence.update"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receive', 'receive>lookup', 'lookup>guide', 'guide>amend', 'amend>sign1', 'sign1>post', 'post>sign2', 'sign2>inform', 'inform>publish', 'publish>register', 'register>reside', 'reside>end')}
`, { id: 'Process_dossier_full', attributes: 'name="Đăng ký khai sinh (thử)"' });

const plain = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận, kiểm tra hồ sơ" qt:dueWorkingHours="8"/>
  <bpmn:serviceTask id="lookup" name="Đối chiếu CSDL dân cư" qt:jobType="datastore.lookup"/>
  <bpmn:sendTask id="inform" name="Thông báo đã xem xét hồ sơ" qt:jobType="notify.applicant"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receive', 'receive>lookup', 'lookup>inform', 'inform>end')}
`, { id: 'Process_dossier_plain', attributes: 'name="Xác nhận thông tin (thử)"' });

// Ends with a user task's completion: the batched single-statement path of the engine.
const single = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận và trả lời ngay" qt:dueWorkingHours="8"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receive', 'receive>end')}
`, { id: 'Process_dossier_single', attributes: 'name="Trả lời ngay (thử)"' });

const group = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ liên thông" qt:dueWorkingHours="8"/>
  <bpmn:callActivity id="birth" name="Đăng ký khai sinh" calledElement="Process_group_member"/>
  <bpmn:serviceTask id="announce" name="Trả các kết quả, thông báo cho cha mẹ" qt:jobType="result.notify"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>receive', 'receive>birth', 'birth>announce', 'announce>end')}
`, { id: 'Process_group', attributes: 'name="Liên thông khai sinh (thử)"' });

const member = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="sign" name="Gán mã kết quả khai sinh" qt:jobType="result.sign"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>sign', 'sign>end')}
`, { id: 'Process_group_member', attributes: 'name="Đăng ký khai sinh (tái cấu trúc)"' });

const AGENCY = '000.00.01.H01';
const catalogue = await loadCatalogue(path.join(projectRoot, 'processes'));
const catalogueEntry = (folder: string) => catalogue.find((entry) => entry.folder === folder)!;
const birthRegistration = catalogueEntry('dang-ky-khai-sinh');
// The inter-connected group of Circular 01 Art. 16.4 and the procedures it calls.
const birthGroup = ['lien-thong-khai-sinh-thuong-tru-bhyt', 'dang-ky-thuong-tru', 'cap-the-bhyt-tre-em-duoi-6-tuoi'].map(catalogueEntry);

/** A message as the SMTP server received it. */
interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** The subject and text of a single-part message as nodemailer writes it (encoded words; quoted-printable or base64 body). */
function readMail(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  const subject = header('Subject')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, word: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(word, 'base64').toString('utf8') : Buffer.from(word.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'base64'
    ? Buffer.from(body, 'base64').toString('utf8')
    : encoding === 'quoted-printable'
      ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
      : body;
  return { subject, text };
}

const fixture = useApiOverTestDatabase();
const received: Received[] = [];
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('latin1') });
      callback();
    });
  },
});
const runner: JobRunnerOptions = {};
let citizen: string;
let withoutEmail: string;

beforeAll(async () => {
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  runner.mail = { url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, from: 'Một cửa xã X <motcua@xa-x.example.vn>' };
  const { db } = fixture.database;
  await createAgency(db, { code: AGENCY, name: 'UBND xã X' });
  citizen = (await createAccount(db, { username: '001090012345', displayName: 'Nguyễn Thị An', roles: ['citizen'], holder: { kind: 'person', id: '001090012345' }, email: 'an@example.vn', assuranceLevel: 2, identifiedBy: 'test' })).id;
  await db('accounts').where({ id: citizen }).update({ profile: JSON.stringify({ phone: '0912345678', dateOfBirth: '1990-04-02', address: { street: 'Số 5 đường Lê Lợi', commune: 'Xã X', province: 'Tỉnh Y' } }) });
  withoutEmail = (await createAccount(db, { username: '001090067890', displayName: 'Trần Văn Bình', roles: ['citizen'], holder: { kind: 'person', id: '001090067890' }, assuranceLevel: 1, identifiedBy: 'test' })).id;
  for (const xml of [full, plain, single, member, group, ...[birthRegistration, ...birthGroup].map((entry) => entry.models['to-be'])]) {
    const deployed = await fixture.api.fetch('/api/definitions', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: xml });
    expect(deployed.status, await deployed.clone().text()).toBe(201);
  }
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
useJobRunner(fixture, runner);

const call = (method: string, path: string, body?: unknown) => callApi(fixture.api, method, path, body);

let sequence = 0;
/** Starts the procedure with a dossier bound to its instance, as the dossier API would on submission. */
async function submit(key: string, owner: string, applicant: { name: string; id: string | null }, variables: Record<string, unknown> = {}): Promise<{ instanceId: string; dossierId: string; code: string }> {
  const code = `${AGENCY}-261206-${String(++sequence).padStart(4, '0')}`;
  const { status, body } = await call('POST', `/api/definitions/${key}/instances`, { variables: { ...variables, applicationNumber: code, agencyCode: AGENCY } });
  expect(status).toBe(201);
  const definition = await fixture.database.db('process_definitions').where({ key }).first<{ id: string; name: string }>('id', 'name');
  const [dossier] = await fixture.database.db('dossiers').insert({
    instance_id: body.id,
    definition_id: definition.id,
    procedure_key: key,
    procedure_name: definition.name,
    owner_account_id: owner,
    applicant_name: applicant.name,
    applicant_id: applicant.id,
    agency_code: AGENCY,
    code,
    status: 'received',
    submitted_at: new Date(),
    receipt_due_at: new Date(Date.now() + 8 * 3600_000),
    received_at: new Date(),
  }).returning<Array<{ id: string }>>('id');
  return { instanceId: body.id, dossierId: dossier!.id, code };
}

/** Completes the instance's open user task at `elementId` once the workers have brought it there. */
async function complete(instanceId: string, elementId: string, variables: Record<string, unknown> = {}): Promise<void> {
  const open = () => fixture.database.db('user_tasks').where({ instance_id: instanceId, element_id: elementId, status: 'open' }).first<{ id: string } | undefined>('id');
  await expect.poll(async () => (await open())?.id, { timeout: 20_000, interval: 100, message: `a task open at ${elementId}` }).toBeDefined();
  const task = (await call('GET', `/api/tasks/${(await open())!.id}`)).body as { id: string; dossierStep: string | null; dossier: { id: string } | null };
  if (task.dossierStep === 'receipt') {
    // The receipt check is decided with the dossier's own actions (server/dossiers/receipt.ts).
    const guidance = variables.noiDungBoSung;
    const action = variables.canBoSung === true ? call('POST', `/api/dossiers/${task.dossier!.id}/request-amendment`, { items: Array.isArray(guidance) ? guidance : [String(guidance)] }) : call('POST', `/api/dossiers/${task.dossier!.id}/receive`);
    expect((await action).status).toBe(200);
    return;
  }
  expect((await call('POST', `/api/tasks/${task.id}/complete`, { variables })).status).toBe(200);
}

async function waitAt(instanceId: string, activeElementIds: string[]): Promise<void> {
  await expect.poll(async () => (await call('GET', `/api/instances/${instanceId}`)).body.activeElementIds, { timeout: 20_000, interval: 100 }).toEqual(activeElementIds);
}

async function waitEnded(instanceId: string): Promise<Record<string, unknown>> {
  await expect.poll(async () => (await call('GET', `/api/instances/${instanceId}`)).body.status, { timeout: 20_000, interval: 100 }).toBe('completed');
  return (await call('GET', `/api/instances/${instanceId}`)).body.variables;
}

// The workers' own records; the officials' decisions (server/dossiers/receipt.ts, tasks) are the dossier layer's.
const eventsOf = (dossierId: string) => fixture.database.db('dossier_events').where({ dossier_id: dossierId }).whereNotIn('kind', ['task-completed', 'received', 'amendment-requested']).orderBy('id').select<Array<{ kind: string; actor: string; details: Record<string, any> }>>('kind', 'actor', 'details');
const noticesOf = (dossierId: string) => fixture.database.db('notices').where({ dossier_id: dossierId }).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<Array<{ id: string; account_id: string; kind: string; subject: { vi: string; en: string }; body: { vi: string; en: string }; emailed_at: Date | null }>>('id', 'account_id', 'kind', 'subject', 'body', 'emailed_at');
const resultsOf = (dossierId: string) => fixture.database.db('dossier_results').where({ dossier_id: dossierId }).orderBy('n').select<Array<{ n: number; code: string; title: string; issued_by: string }>>('n', 'code', 'title', 'issued_by');
const mailsTo = (address: string) => received.filter((mail) => mail.to.includes(address)).map((mail) => ({ from: mail.from, ...readMail(mail.raw) }));

describe('the built-in workers of a dossier', () => {
  let first: { instanceId: string; dossierId: string; code: string };

  it('check the applicant against their data store and send the one-time amendment guidance, by e-mail too', async () => {
    first = await submit('Process_dossier_full', citizen, { name: 'nguyễn  thị an', id: '001090012345' });
    await complete(first.instanceId, 'receive', { canBoSung: true, noiDungBoSung: ['Bản sao Giấy chứng sinh', 'Ảnh 4x6 chụp không quá 6 tháng'] });
    await waitAt(first.instanceId, ['amend']);

    const { variables } = (await call('GET', `/api/instances/${first.instanceId}`)).body;
    expect(variables.doiChieu).toMatchObject({
      nguon: 'kho-du-lieu-quy-trinh',
      taiKhoan: { hoTen: 'Nguyễn Thị An', loaiChuThe: 'person', soDinhDanh: '001090012345', mucDinhDanh: 2, dinhDanhQua: 'test' },
      thongTinCaNhan: { phone: '0912345678', dateOfBirth: '1990-04-02' },
      hoTenKhop: true, // the same name written differently
      soDinhDanhKhop: true,
      ketQuaDaCap: [],
    });

    const [guidance, ...others] = await noticesOf(first.dossierId);
    expect(others).toEqual([]);
    expect(guidance).toMatchObject({ account_id: citizen, kind: 'amendment', subject: { vi: `Hồ sơ ${first.code}: cần bổ sung, hoàn thiện` } });
    expect(guidance!.body.vi).toContain('- Bản sao Giấy chứng sinh\n- Ảnh 4x6 chụp không quá 6 tháng');
    expect(guidance!.body.en).toContain('Decree 45/2020/ND-CP Art. 11.3');
    expect((await eventsOf(first.dossierId)).map((event) => [event.kind, event.actor])).toEqual([
      ['data-verified', 'worker:datastore.lookup'],
      ['applicant-notified', 'worker:notify.applicant'],
    ]);

    await expect.poll(() => mailsTo('an@example.vn').length, { timeout: 15_000, interval: 100 }).toBe(1);
    const [mail] = mailsTo('an@example.vn');
    expect(mail).toMatchObject({ from: 'motcua@xa-x.example.vn', subject: `Hồ sơ ${first.code}: cần bổ sung, hoàn thiện / Application ${first.code}: amendment needed` });
    expect(mail!.text).toContain('- Bản sao Giấy chứng sinh');
    expect(mail!.text).toContain('must be amended');
    await expect.poll(async () => (await noticesOf(first.dossierId))[0]!.emailed_at, { timeout: 10_000, interval: 100 }).toBeInstanceOf(Date);
  });

  it('issue KQ1 then KQ2, post the paper copy, record every step, and end the dossier with its results', async () => {
    await complete(first.instanceId, 'amend', { canBoSung: false });
    const variables = await waitEnded(first.instanceId);
    expect(variables.resultCode).toBe(`${first.code}-KQ2`);

    expect(await resultsOf(first.dossierId)).toEqual([
      { n: 1, code: `${first.code}-KQ1`, title: 'Đăng ký khai sinh (thử)', issued_by: 'worker:result.sign' },
      { n: 2, code: `${first.code}-KQ2`, title: 'Đăng ký khai sinh (thử)', issued_by: 'worker:result.sign' },
    ]);
    const dossier = await fixture.database.db('dossiers').where({ id: first.dossierId }).first<{ status: string; ended_at: Date | null }>('status', 'ended_at');
    expect(dossier.status).toBe('result-issued'); // ended with its results: not "completed without a result"
    expect(dossier.ended_at).toBeInstanceOf(Date);

    const events = await eventsOf(first.dossierId);
    expect(events.map((event) => event.kind)).toEqual(['data-verified', 'applicant-notified', 'result-issued', 'result-posted', 'result-issued', 'applicant-notified', 'publicly-posted', 'registration-published', 'residence-updated', 'ended']);
    expect(events[3]!.details).toMatchObject({ elementId: 'post', resultCodes: [`${first.code}-KQ1`], address: 'Số 5 đường Lê Lợi, Xã X, Tỉnh Y' });
    expect(events[9]).toMatchObject({ actor: 'engine', details: { status: 'result-issued' } });

    const notices = await noticesOf(first.dossierId);
    expect(notices.map((notice) => [notice.kind, notice.subject.vi])).toEqual([
      ['amendment', `Hồ sơ ${first.code}: cần bổ sung, hoàn thiện`],
      ['result', `Hồ sơ ${first.code}: đã có kết quả ${first.code}-KQ1`],
      ['message', `Hồ sơ ${first.code}: kết quả bản giấy đã gửi qua bưu chính`],
      ['result', `Hồ sơ ${first.code}: đã có kết quả ${first.code}-KQ2`],
      ['message', `Hồ sơ ${first.code}: Thông báo kết quả giải quyết`],
      ['message', `Hồ sơ ${first.code}: đã niêm yết công khai`],
      ['message', `Hồ sơ ${first.code}: đã công bố nội dung đăng ký`],
      ['message', `Hồ sơ ${first.code}: đã cập nhật thông tin cư trú`],
    ]);
    expect(notices[2]!.body.vi).toContain('tới địa chỉ Số 5 đường Lê Lợi, Xã X, Tỉnh Y');

    // Every notice's e-mail copy reached the SMTP server, once, and was marked.
    await expect.poll(() => mailsTo('an@example.vn').length, { timeout: 20_000, interval: 100 }).toBe(notices.length);
    expect(mailsTo('an@example.vn').map((mail) => mail.subject)).toEqual(expect.arrayContaining([`Hồ sơ ${first.code}: đã có kết quả ${first.code}-KQ2 / Application ${first.code}: result ${first.code}-KQ2 issued`]));
    await expect.poll(async () => (await noticesOf(first.dossierId)).every((notice) => notice.emailed_at !== null), { timeout: 10_000, interval: 100 }).toBe(true);
  });

  it('change nothing when a job already committed runs again (no second result)', async () => {
    const { db } = fixture.database;
    const [signed] = (await db('service_jobs').where({ instance_id: first.instanceId, element_id: 'sign1' }).pluck('id')) as string[];
    const before = { events: (await eventsOf(first.dossierId)).length, notices: (await noticesOf(first.dossierId)).length, mails: received.length };
    const [queued] = (await db.raw<{ rows: Array<{ id: string }> }>('select id from graphile_worker.add_job(?, ?::json, job_key => ?)', [SERVICE_TASK_JOB.task, JSON.stringify({ serviceJobId: signed }), `service:${signed}`])).rows;
    await expect.poll(async () => (await db.raw<{ rows: unknown[] }>('select 1 from graphile_worker.jobs where id = ?', [queued!.id])).rows.length, { timeout: 15_000, interval: 100 }).toBe(0);

    expect((await resultsOf(first.dossierId)).map((result) => result.code)).toEqual([`${first.code}-KQ1`, `${first.code}-KQ2`]);
    expect((await eventsOf(first.dossierId)).length).toBe(before.events);
    expect((await noticesOf(first.dossierId)).length).toBe(before.notices);
    expect(received.length).toBe(before.mails);
  });

  it("find the applicant's earlier results, and complete a dossier that ends without one", async () => {
    const second = await submit('Process_dossier_plain', citizen, { name: 'Nguyễn Thị An', id: '001090012345' });
    await complete(second.instanceId, 'receive', { canBoSung: false });
    const variables = await waitEnded(second.instanceId);
    expect((variables.doiChieu as { ketQuaDaCap: Array<{ ma: string }> }).ketQuaDaCap.map((result) => result.ma)).toEqual([`${first.code}-KQ2`, `${first.code}-KQ1`]);

    const dossier = await fixture.database.db('dossiers').where({ id: second.dossierId }).first<{ status: string; ended_at: Date | null }>('status', 'ended_at');
    expect(dossier.status).toBe('completed');
    expect(dossier.ended_at).toBeInstanceOf(Date);
    expect((await eventsOf(second.dossierId)).map((event) => event.kind)).toEqual(['data-verified', 'applicant-notified', 'ended']);
    const [message] = await noticesOf(second.dossierId);
    expect(message).toMatchObject({ kind: 'message', subject: { vi: `Hồ sơ ${second.code}: Thông báo đã xem xét hồ sơ`, en: `Application ${second.code}: Thông báo đã xem xét hồ sơ` } });
  });

  it('complete a dossier whose instance ends with a task completed (the batched write path), keeping a refusal', async () => {
    const { db } = fixture.database;
    const answered = await submit('Process_dossier_single', citizen, { name: 'Nguyễn Thị An', id: '001090012345' });
    await complete(answered.instanceId, 'receive');
    await waitEnded(answered.instanceId);
    expect(await db('dossiers').where({ id: answered.dossierId }).first('status')).toEqual({ status: 'completed' });
    expect((await eventsOf(answered.dossierId)).map((event) => [event.kind, event.details.status])).toEqual([['ended', 'completed']]);

    const refused = await submit('Process_dossier_single', citizen, { name: 'Nguyễn Thị An', id: '001090012345' });
    await db('dossiers').where({ id: refused.dossierId }).update({ status: 'refused' });
    await complete(refused.instanceId, 'receive');
    await waitEnded(refused.instanceId);
    const row = await db('dossiers').where({ id: refused.dossierId }).first<{ status: string; ended_at: Date | null }>('status', 'ended_at');
    expect(row.status).toBe('refused');
    expect(row.ended_at).toBeInstanceOf(Date);
  });

  it('keep the notices of an applicant without an e-mail address in the inbox only, and flag an ID that differs', async () => {
    const third = await submit('Process_dossier_plain', withoutEmail, { name: 'Trần Thị Cúc', id: '001190000001' });
    await complete(third.instanceId, 'receive');
    const variables = await waitEnded(third.instanceId);
    expect(variables.doiChieu).toMatchObject({ hoTenKhop: false, soDinhDanhKhop: false, taiKhoan: { soDinhDanh: '001090067890', mucDinhDanh: 1 }, thongTinCaNhan: {} });
    const [notice] = await noticesOf(third.dossierId);
    expect(notice).toMatchObject({ account_id: withoutEmail, kind: 'message', emailed_at: null });
    expect((await fixture.database.db.raw<{ rows: unknown[] }>('select 1 from graphile_worker.jobs where key = ?', [`notice-mail:${notice!.id}`])).rows).toEqual([]);
  });

  it('keep notices in the inbox only when no SMTP server is configured, and say so once in the log', async () => {
    const { db } = fixture.database;
    const lines: string[] = [];
    const task = noticeMailTask(db, undefined, pino({ level: 'info' }, { write: (line: string) => lines.push(line) }));
    const notices = await db('notices').insert([1, 2].map((n) => ({ account_id: citizen, kind: 'message', subject: JSON.stringify({ vi: `Thư ${n}`, en: `Letter ${n}` }), body: JSON.stringify({ vi: '-', en: '-' }) }))).returning<Array<{ id: string }>>('id');
    const mails = received.length;
    for (const { id } of notices) await task({ noticeId: id }, undefined as never);
    expect(lines.filter((line) => line.includes('SMTP_URL'))).toHaveLength(1);
    expect(await db('notices').whereIn('id', notices.map(({ id }) => id)).pluck('emailed_at')).toEqual([null, null]);
    expect(received.length).toBe(mails);
  });

  it('do not send the amendment guidance twice when the dossier layer sent it with the request (Art. 11.3: once)', async () => {
    const { db } = fixture.database;
    const dossier = await submit('Process_dossier_plain', withoutEmail, { name: 'Trần Văn Bình', id: '001090067890' });
    await db('notices').insert({ account_id: withoutEmail, dossier_id: dossier.dossierId, kind: 'amendment', subject: JSON.stringify({ vi: 'Yêu cầu bổ sung', en: 'Amendment requested' }), body: JSON.stringify({ vi: 'Bổ sung ảnh', en: 'Add a photo' }) });
    await complete(dossier.instanceId, 'receive', { canBoSung: true, noiDungBoSung: 'Bổ sung ảnh' });
    await waitEnded(dossier.instanceId);
    expect((await noticesOf(dossier.dossierId)).map((notice) => notice.subject.vi)).toEqual(['Yêu cầu bổ sung']);
    expect((await eventsOf(dossier.dossierId))[1]).toMatchObject({ kind: 'applicant-notified', details: { elementId: 'inform', kind: 'amendment', alreadySent: true } });
  });

  it('issue the result of a called procedure on the group dossier of its root caller, and announce them all', async () => {
    const grouped = await submit('Process_group', citizen, { name: 'Nguyễn Thị An', id: '001090012345' });
    await complete(grouped.instanceId, 'receive');
    await waitEnded(grouped.instanceId);
    expect(await resultsOf(grouped.dossierId)).toEqual([{ n: 1, code: `${grouped.code}-KQ1`, title: 'Đăng ký khai sinh', issued_by: 'worker:result.sign' }]);
    expect((await eventsOf(grouped.dossierId)).map((event) => event.kind)).toEqual(['result-issued', 'results-notified', 'ended']);
    const notices = await noticesOf(grouped.dossierId);
    expect(notices.map((notice) => notice.kind)).toEqual(['result', 'result']);
    expect(notices[1]!.body.vi).toContain(`- ${grouped.code}-KQ1: Đăng ký khai sinh`);
    expect((await fixture.database.db('dossiers').where({ id: grouped.dossierId }).first('status')).status).toBe('result-issued');
  });

  /**
   * Plays a catalogue run file on an instance: the people's steps over the API; every job step
   * must be one the built-in workers run by themselves; a call's end is the called instance's
   * own run (its `run-called.json`), played on it.
   */
  async function playRun(instanceId: string, entry: (typeof catalogue)[number], events: RunEvent[]): Promise<void> {
    const { nodes } = await readProcess(entry.models['to-be']);
    for (const event of events) {
      if (event.type === 'task.complete') await complete(instanceId, event.elementId, event.variables);
      else if (event.type === 'call.complete') {
        const calledKey = nodes.get(event.elementId)!.calledElement!;
        const called = catalogue.find((other) => other.models['to-be'].includes(`<bpmn:process id="${calledKey}"`))!;
        const child = () => fixture.database.db('process_instances').where({ parent_instance_id: instanceId, parent_element_id: event.elementId }).first<{ id: string } | undefined>('id');
        await expect.poll(async () => (await child())?.id, { timeout: 20_000, interval: 100 }).toBeDefined();
        const childId = (await child())!.id;
        await playRun(childId, called, called.run.calledEvents!);
        await waitEnded(childId); // the call's end, as the run file says, before the next event
      } else expect(event.type === 'job.complete' && isBuiltinJobType(nodes.get(event.elementId)?.qt.jobType ?? ''), `${event.type} ${event.elementId} is run by a built-in worker`).toBe(true);
    }
  }

  it("run the catalogue's inter-connected birth group to its three results with only the people's steps done over the API", async () => {
    const [groupEntry] = birthGroup;
    const { code, instanceId, dossierId } = await submit('Process_lien_thong_khai_sinh_thuong_tru_bhyt', citizen, { name: 'Nguyễn Thị An', id: '001090012345' }, groupEntry!.run.variables);
    await playRun(instanceId, groupEntry!, groupEntry!.run.events);
    await waitEnded(instanceId);
    expect((await resultsOf(dossierId)).map((result) => [result.code, result.title])).toEqual([
      [`${code}-KQ1`, 'Đăng ký khai sinh'],
      [`${code}-KQ2`, 'Cấp thẻ BHYT cho trẻ em dưới 6 tuổi'],
      [`${code}-KQ3`, 'Đăng ký thường trú'],
    ]);
    expect((await fixture.database.db('dossiers').where({ id: dossierId }).first('status')).status).toBe('result-issued');
    expect((await eventsOf(dossierId)).map((event) => event.kind)).toEqual(['data-verified', 'result-issued', 'result-posted', 'result-issued', 'residence-updated', 'result-issued', 'results-notified', 'ended']);
    const announced = (await noticesOf(dossierId)).at(-1)!;
    expect(announced.subject.vi).toBe(`Hồ sơ ${code}: đã có đủ 3 kết quả`);
    for (const n of [1, 2, 3]) expect(announced.body.vi).toContain(`${code}-KQ${n}`);
  });

  it("run the catalogue's birth registration from submission to its result with only the people's steps done over the API", async () => {
    const { code, instanceId, dossierId } = await submit('Process_dang_ky_khai_sinh', citizen, { name: 'Nguyễn Thị An', id: '001090012345' });
    await playRun(instanceId, birthRegistration, birthRegistration.run.events);
    const variables = await waitEnded(instanceId);
    expect(variables).toMatchObject({ applicationNumber: code, resultCode: `${code}-KQ1`, doiChieu: { hoTenKhop: true, soDinhDanhKhop: true } });
    expect((await resultsOf(dossierId)).map((result) => result.code)).toEqual([`${code}-KQ1`]);
    expect((await fixture.database.db('dossiers').where({ id: dossierId }).first('status')).status).toBe('result-issued');
    expect((await noticesOf(dossierId)).map((notice) => notice.kind)).toEqual(['amendment', 'result', 'message']);
    expect((await eventsOf(dossierId)).map((event) => event.kind)).toEqual(['data-verified', 'applicant-notified', 'data-verified', 'result-issued', 'result-posted', 'ended']);
  });

  it('run a model started over the raw API, with no dossier, to its end recording nothing', async () => {
    const { db } = fixture.database;
    const counts = async () => Promise.all(['notices', 'dossier_events', 'dossier_results'].map(async (table) => (await db(table).count<Array<{ count: string }>>('* as count'))[0]!.count));
    const before = await counts();
    const { body } = await call('POST', '/api/definitions/Process_dossier_full/instances', { variables: {} });
    await complete(body.id, 'receive', { canBoSung: true, noiDungBoSung: 'Bản sao Giấy chứng sinh' });
    await complete(body.id, 'amend');
    const variables = await waitEnded(body.id);
    expect(variables).toEqual({ canBoSung: true, noiDungBoSung: 'Bản sao Giấy chứng sinh' });
    expect(await counts()).toEqual(before);
    expect(await db('service_jobs').where({ instance_id: body.id }).whereNot({ status: 'completed' })).toEqual([]);
  });
});
