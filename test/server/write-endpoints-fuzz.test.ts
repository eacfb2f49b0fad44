import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_POLICIES } from '../../server/access/route-policies.ts';
import { createAgency } from '../../server/identity/agencies.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { createPerson } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { storedRows } from '../support/stored-rows.ts';

/**
 * Issue 10: generated bodies (NUL, lone surrogates, deep nesting, huge strings, wrong types,
 * broken JSON and XML) sent to every write endpoint of server/http. Whatever arrives, the answer
 * is never a 5xx; a 4xx is problem+json and leaves every table (and the job queue) as it was.
 */
const fixture = useApiOverTestDatabase();

/** Runs per endpoint: about 18 endpoints, each run a request and two snapshots of the database. */
const RUNS = 25;

const model = (name = 'Thẩm định') => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:parallelGateway id="split"/>
  <bpmn:userTask id="review" name="${name}"/>
  <bpmn:serviceTask id="sync" qt:jobType="fuzz.external"/>
  <bpmn:intermediateCatchEvent id="result"><bpmn:messageEventDefinition messageRef="Message_result"/></bpmn:intermediateCatchEvent>
  <bpmn:parallelGateway id="join"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>split', 'split>review', 'split>sync', 'split>result', 'review>join', 'sync>join', 'result>join', 'join>end')}`, { id: 'Process_fuzz', outside: '<bpmn:message id="Message_result" name="ketQua"/>' });

// Real procedures with every cost attribute, so that analysis bodies reach the cost model.
const asIs = await readFile(new URL('../../processes/dang-ky-khai-sinh/as-is.bpmn', import.meta.url), 'utf8');
const toBe = await readFile(new URL('../../processes/dang-ky-khai-sinh/to-be.bpmn', import.meta.url), 'utf8');

const ids = { task: '', job: '', model: '', instance: '' };

/**
 * A fresh instance: an open task, an open external job and a waiting message subscription, so
 * that the next generated body reaches the step that would store it, not a 409 for a task done.
 */
async function freshInstance(): Promise<void> {
  const started = await callApi(fixture.api, 'POST', '/api/definitions/Process_fuzz/instances', { businessKey: 'HS-fuzz' });
  const [task] = (await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${started.body.id}`)).body.items;
  const job = (await callApi(fixture.api, 'GET', '/api/jobs?type=fuzz.external')).body.items.find((open: { instanceId: string }) => open.instanceId === started.body.id);
  Object.assign(ids, { task: task.id, job: job.id, instance: started.body.id });
}

beforeAll(async () => {
  expect((await callApi(fixture.api, 'POST', '/api/definitions', model(), 'application/xml')).status).toBe(201);
  await freshInstance();
  const saved = await callApi(fixture.api, 'POST', '/api/models', { name: 'Mô hình', stage: 'as-is', xml: model() });
  ids.model = saved.body.id;
  // What the identity routes refer to: an agency and an official's account.
  await createAgency(fixture.database.db, { code: '000.00.01.H01', name: 'UBND xã gốc' });
  await createPerson(fixture.database.db, 'fuzz-officer', ['official'], { password: 'mat-khau-dai-du', memberships: [{ agencyCode: '000.00.01.H01', function: 'tiep-nhan' }] });
});

/** Strings an attacker sends: NUL, lone surrogates, huge, odd keys, and arbitrary code points. */
const nastyString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\uDBFF\uDBFF', '', ' ', '📄 Hồ sơ', '__proto__', 'constructor', '%00', '<bpmn:x/>', "'; drop table process_instances; --"),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('k'.repeat(201), 'x'.repeat(5000), 'y'.repeat(110 * 1024)),
);

/** Any JSON value, of any type, with nasty strings as values and as keys. */
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 3 }),
  ),
}));

/** Bodies written as text: nested thousands deep, or not JSON at all. */
const rawJson = fc.oneof(
  fc.integer({ min: 30, max: 6000 }).map((depth) => `{"variables":{"x":${'['.repeat(depth)}1${']'.repeat(depth)}}}`),
  fc.integer({ min: 30, max: 6000 }).map((depth) => `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`),
  fc.integer({ min: 30, max: 6000 }).map((depth) => '['.repeat(depth)),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('{"variables":{"x":"\\u0000"}}', '{"name":"\\ud800"}', '{"variables":{"\\u0000":1}}', '{', 'null', '"text"', '[]', '{"__proto__":{"polluted":true}}'),
);

type Body = { json: unknown } | { raw: string; contentType: string };

/** Near-valid bodies (the template with one field replaced or added, variables poisoned), anything at all, and raw text. */
function bodies(template: Record<string, unknown>): fc.Arbitrary<Body> {
  const keys = [...Object.keys(template), 'variables', 'unexpected'];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), anyValue).map(([key, value]): Body => ({ json: { ...template, [key]: value } })),
    fc.dictionary(nastyString, anyValue, { maxKeys: 4 }).map((variables): Body => ({ json: { ...template, variables } })),
    anyValue.map((json): Body => ({ json })),
    rawJson.map((raw): Body => ({ raw, contentType: 'application/json' })),
  );
}

/** BPMN XML: the model with a nasty name, forbidden characters written or referenced, nesting, long ids, or junk. */
const xmlBodies: fc.Arbitrary<Body> = fc.oneof(
  nastyString.map((name): Body => ({ raw: model(name), contentType: 'application/xml' })),
  fc.constantFrom('&#0;', '&#xD800;', '&#x110000;', '\u0001', '\uFFFF', '&amp;', '&lt;b&gt;').map((name): Body => ({ raw: model(name), contentType: 'application/xml' })),
  fc.integer({ min: 40, max: 3000 }).map((depth): Body => ({ raw: bpmnProcess(`${'<bpmn:subProcess>'.repeat(depth)}${'</bpmn:subProcess>'.repeat(depth)}`), contentType: 'application/xml' })),
  fc.integer({ min: 150, max: 100_000 }).map((length): Body => ({ raw: model().replaceAll('Process_fuzz', `P${'x'.repeat(length)}`), contentType: 'application/xml' })),
  fc.string({ maxLength: 60 }).map((raw): Body => ({ raw, contentType: 'application/xml' })),
  anyValue.map((json): Body => ({ json })),
);

/** Path parameters: the real id, an unknown one, and ones that are not ids or not even decodable. */
const idParam = (real: () => string) => fc.oneof(fc.constant(null).map(() => real()), fc.constantFrom(randomUUID(), 'not-a-uuid', '%00', '%ED%A0%80', '%', 'x'.repeat(3000)));
const nameParam = fc.constantFrom('Bộ phận một cửa', 'S%E1%BB%9F%00', '%ED%A0%80', '%', '%20', 'k'.repeat(201));

interface Endpoint {
  method: string;
  path: fc.Arbitrary<string>;
  body: fc.Arbitrary<Body>;
  /** A success moves the fixture instance on. */
  takesStep?: boolean;
}

const calendar = { officeHours: [{ start: '08:00', end: '12:00' }], workingWeekdays: [1, 2, 3, 4, 5] };

const usernameParam = fc.constantFrom('fuzz-officer', 'nobody-here', 'A B', '%00', '%ED%A0%80', 'x'.repeat(300));
const agencyParam = fc.constantFrom('000.00.01.H01', '000.00.99.H01', 'not a code', '%00', '%ED%A0%80');

// Every POST, PUT and DELETE route of the route policy table (checked below).
const endpoints: Record<string, Endpoint> = {
  'POST /api/session': { method: 'POST', path: fc.constant('/api/session'), body: bodies({ username: 'fuzz-officer', password: 'not-the-password' }) },
  'DELETE /api/session': { method: 'DELETE', path: fc.constant('/api/session'), body: bodies({}) },
  'POST /api/session/logout-everywhere': { method: 'POST', path: fc.constant('/api/session/logout-everywhere'), body: bodies({}) },
  'POST /api/accounts/register': { method: 'POST', path: fc.constant('/api/accounts/register'), body: bodies({ holderKind: 'person', holderId: '001099777777', displayName: 'Công dân thử', password: 'mat-khau-dai-du' }) },
  'POST /api/accounts': { method: 'POST', path: fc.constant('/api/accounts'), body: bodies({ username: 'fuzz-new', displayName: 'Cán bộ thử', roles: ['official'], password: 'mat-khau-dai-du', memberships: [{ agencyCode: '000.00.01.H01', function: 'tiep-nhan' }] }) },
  'POST /api/accounts/{username}/disable': { method: 'POST', path: usernameParam.map((username) => `/api/accounts/${username}/disable`), body: bodies({}) },
  'POST /api/agencies': { method: 'POST', path: fc.constant('/api/agencies'), body: bodies({ code: '000.00.02.H01', name: 'UBND xã thử', parentCode: '000.00.01.H01' }) },
  'PUT /api/agencies/{code}/lanes/{lane}': { method: 'PUT', path: fc.tuple(agencyParam, nameParam).map(([code, lane]) => `/api/agencies/${code}/lanes/${lane}`), body: bodies({ function: 'chuyen-vien' }) },
  'POST /api/tokens': { method: 'POST', path: fc.constant('/api/tokens'), body: bodies({ name: 'fuzz-worker', role: 'worker', jobTypes: ['fuzz.external'] }) },
  'DELETE /api/tokens/{id}': { method: 'DELETE', path: idParam(randomUUID).map((id) => `/api/tokens/${id}`), body: bodies({}) },
  'POST /api/definitions': { method: 'POST', path: fc.constant('/api/definitions'), body: xmlBodies },
  'POST /api/definitions/{key}/instances': { method: 'POST', path: fc.constantFrom('Process_fuzz', 'Process_none', '%00', '%ED%A0%80', 'k'.repeat(201)).map((key) => `/api/definitions/${key}/instances`), body: bodies({ businessKey: 'HS-1', variables: { a: 1 } }) },
  'POST /api/models': { method: 'POST', path: fc.constant('/api/models'), body: bodies({ name: 'Mô hình', stage: 'to-be', xml: model(), comment: 'lần đầu', author: 'cán bộ A' }) },
  'POST /api/models/{id}/versions': { method: 'POST', path: idParam(() => ids.model).map((id) => `/api/models/${id}/versions`), body: bodies({ xml: model('Thẩm định lại'), comment: 'sửa', author: 'cán bộ B' }) },
  'PATCH /api/models/{id}': { method: 'PATCH', path: idParam(() => ids.model).map((id) => `/api/models/${id}`), body: bodies({ name: 'Mô hình đổi tên' }) },
  'DELETE /api/models/{id}': { method: 'DELETE', path: idParam(randomUUID).map((id) => `/api/models/${id}`), body: bodies({}) },
  'POST /api/models/{id}/restore': { method: 'POST', path: idParam(() => ids.model).map((id) => `/api/models/${id}/restore`), body: bodies({}) },
  'POST /api/models/{id}/duplicates': { method: 'POST', path: idParam(() => ids.model).map((id) => `/api/models/${id}/duplicates`), body: bodies({ name: 'Bản sao', stage: 'to-be', author: 'cán bộ A' }) },
  'POST /api/models/{id}/deployments': { method: 'POST', path: idParam(() => ids.model).map((id) => `/api/models/${id}/deployments`), body: bodies({ version: 1, confirmRemovedSigning: false }) },
  'POST /api/models/{id}/deployments/{deploymentId}/rollback': { method: 'POST', path: idParam(() => ids.model).map((id) => `/api/models/${id}/deployments/${randomUUID()}/rollback`), body: bodies({ confirmRemovedSigning: true }) },
  'POST /api/tasks/{id}/complete': { method: 'POST', path: idParam(() => ids.task).map((id) => `/api/tasks/${id}/complete`), body: bodies({ variables: { approved: true }, actor: 'cán bộ C' }), takesStep: true },
  'POST /api/messages': { method: 'POST', path: fc.constant('/api/messages'), body: bodies({ name: 'ketQua', correlationKey: 'H01', variables: { a: 1 }, messageId: 'm-1' }), takesStep: true },
  'POST /api/signals': { method: 'POST', path: fc.constant('/api/signals'), body: bodies({ name: 'thuHoi', variables: { a: 1 }, signalId: 's-1' }) },
  'POST /api/conditions/evaluate': { method: 'POST', path: fc.constant('/api/conditions/evaluate'), body: bodies({ variables: { soTien: 2000000 }, evaluationId: 'e-1' }) },
  'POST /api/jobs/{id}/complete': { method: 'POST', path: idParam(() => ids.job).map((id) => `/api/jobs/${id}/complete`), body: bodies({ variables: { dossierNumber: 'H01-0001' } }), takesStep: true },
  'POST /api/jobs/{id}/fail': { method: 'POST', path: idParam(() => ids.job).map((id) => `/api/jobs/${id}/fail`), body: bodies({ message: 'cổng không trả lời', errorCode: 'PORTAL_DOWN' }), takesStep: true },
  // The dossier routes (issue 11): the caller is the administrator, whom citizens' routes refuse and who may act on any dossier.
  'POST /api/dossiers': { method: 'POST', path: fc.constant('/api/dossiers'), body: bodies({ procedureKey: 'Process_fuzz', data: { hoTen: 'A' }, components: [{ name: 'Giấy tờ', fileName: 'a.pdf', mediaType: 'application/pdf', contentBase64: 'JVBERi0=' }] }) },
  'POST /api/dossiers/{id}/amend': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/amend`), body: bodies({ data: { hoTen: 'B' }, components: [] }) },
  'POST /api/dossiers/{id}/receive': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/receive`), body: bodies({}) },
  'POST /api/dossiers/{id}/payments/retry': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/payments/retry`), body: bodies({}) },
  'POST /api/dossiers/{id}/request-amendment': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/request-amendment`), body: bodies({ items: ['Bổ sung bản chụp'], note: 'một lần' }) },
  'POST /api/dossiers/{id}/refuse': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/refuse`), body: bodies({ reasons: ['Không thuộc thẩm quyền'] }) },
  'POST /api/dossiers/{id}/rating': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/rating`), body: bodies({ score: 5, comment: 'Hài lòng' }) },
  'POST /api/dossiers/{id}/digitizations': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/dossiers/${id}/digitizations`), body: bodies({ componentName: 'Giấy khai sinh', documentKind: 'original', paperPages: 1, files: [{ fileName: 'a.png', mediaType: 'image/png', contentBase64: 'iVBORw0KGgo=' }] }) },
  'POST /api/dossiers/{id}/digitizations/{digitizationId}/confirm': { method: 'POST', path: fc.tuple(idParam(randomUUID), idParam(randomUUID)).map(([id, digitizationId]) => `/api/dossiers/${id}/digitizations/${digitizationId}/confirm`), body: bodies({ metadata: { documentTypeCode: 'GKS', holderId: '001324012345' } }) },
  'POST /api/results/{code}/annul': { method: 'POST', path: fc.constantFrom('000.00.01.H01-261206-0001-KQ1', 'x', '%00', '%ED%A0%80', 'k'.repeat(300)).map((code) => `/api/results/${code}/annul`), body: bodies({ reason: 'Hết hiệu lực' }) },
  'POST /api/notices/{id}/read': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/notices/${id}/read`), body: bodies({}) },
  'PUT /api/forms/{code}': { method: 'PUT', path: fc.constantFrom('1.001193.to-khai', 'local:fuzz.to-khai', '1.001193', '%00', '%ED%A0%80').map((code) => `/api/forms/${code}`), body: bodies({ type: 'default', id: '1.001193.to-khai', schemaVersion: 16, components: [{ type: 'textfield', key: 'hoTen', label: 'Họ tên' }] }) },
  'POST /api/tasks/{id}/claim': { method: 'POST', path: idParam(() => ids.task).map((id) => `/api/tasks/${id}/claim`), body: bodies({}) },
  'POST /api/tasks/{id}/unclaim': { method: 'POST', path: idParam(() => ids.task).map((id) => `/api/tasks/${id}/unclaim`), body: bodies({}) },
  'POST /api/tasks/{id}/assign': { method: 'POST', path: idParam(() => ids.task).map((id) => `/api/tasks/${id}/assign`), body: bodies({ username: 'fuzz-officer' }) },
  'POST /api/payments/callbacks/{provider}': { method: 'POST', path: fc.constantFrom('sandbox', 'unknown', '%00', '%ED%A0%80').map((provider) => `/api/payments/callbacks/${provider}`), body: bodies({ eventId: 'evt-1', transactionCode: 'G22.99.2-261206000001', status: 'processing' }) },
  // Refunds (payment-refunds.test.ts): the administrator the fuzz calls as holds neither function of Art. 30.2.
  'POST /api/payments/refunds': { method: 'POST', path: fc.constant('/api/payments/refunds'), body: bodies({ transactionCode: 'G22.99.2-261206000001', reason: 'overpayment', explanation: 'Nộp thừa', amountVnd: 1000 }) },
  'POST /api/payments/refunds/{id}/approve': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/payments/refunds/${id}/approve`), body: bodies({}) },
  'POST /api/payments/refunds/{id}/reject': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/payments/refunds/${id}/reject`), body: bodies({ reason: 'Không có căn cứ' }) },
  'POST /api/payments/refunds/{id}/send': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/payments/refunds/${id}/send`), body: bodies({}) },
  'POST /api/payments/refund-callbacks/{provider}': { method: 'POST', path: fc.constantFrom('sandbox', 'unknown', '%00', '%ED%A0%80').map((provider) => `/api/payments/refund-callbacks/${provider}`), body: bodies({ eventId: 'evt-1', refundId: randomUUID(), reference: 'rf_1', status: 'succeeded' }) },
  'POST /api/payments/agencies/{agency}/transactions/{id}/marks': { method: 'POST', path: fc.tuple(agencyParam, idParam(randomUUID)).map(([agency, id]) => `/api/payments/agencies/${agency}/transactions/${id}/marks`), body: bodies({ mark: 'payment-received' }) },
  'POST /api/payments/agencies/{agency}/reconciliations': { method: 'POST', path: agencyParam.map((agency) => `/api/payments/agencies/${agency}/reconciliations`), body: bodies({ day: '05/12/2026', statement: { name: 'sao-ke.csv', contents: 'transactionCode,reference,amountVnd,serviceFeeVnd,status,at\n' } }) },
  'PUT /api/payments/agencies/{agency}/collection-settings': { method: 'PUT', path: agencyParam.map((agency) => `/api/payments/agencies/${agency}/collection-settings`), body: bodies({ agencyCode: '000.00.01.H01', agencyName: 'UBND xã X', accountNumber: '3511.0.1234567', accountName: 'Thu phí', citadCode: '01701001', bankName: 'Kho bạc', feeCodes: [{ procedureCode: '1.001193', feeCode: '2.1.1' }] }) },
  'POST /api/signatures/verify': { method: 'POST', path: fc.constant('/api/signatures/verify'), body: bodies({ contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') }) },
  'POST /api/monitoring/instances/{id}/cancel': { method: 'POST', path: idParam(() => ids.instance).map((id) => `/api/monitoring/instances/${id}/cancel`), body: bodies({ reason: 'Người nộp rút hồ sơ' }), takesStep: true },
  // A restart of the open task (the move onto itself): its task is replaced by a new one, so the next body gets a fresh instance.
  'POST /api/monitoring/instances/{id}/move': { method: 'POST', path: idParam(() => ids.instance).map((id) => `/api/monitoring/instances/${id}/move`), body: fc.oneof(bodies({ from: 'review', to: 'review', reason: 'Mở lại bước thẩm định' }), bodies({ moves: [{ from: 'review', to: 'review' }, { from: 'result', to: 'result' }], reason: 'Mở lại hai bước' })), takesStep: true },
  'POST /api/monitoring/instances/{id}/migrate': { method: 'POST', path: idParam(() => ids.instance).map((id) => `/api/monitoring/instances/${id}/migrate`), body: bodies({ targetDefinitionId: randomUUID(), reason: 'Áp dụng phiên bản mới' }) },
  'POST /api/monitoring/procedures/{key}/migrate': { method: 'POST', path: fc.constantFrom('Process_fuzz', 'x', '%00', '%ED%A0%80', 'k'.repeat(300)).map((key) => `/api/monitoring/procedures/${key}/migrate`), body: bodies({ fromVersion: 1, targetDefinitionId: randomUUID(), reason: 'Áp dụng phiên bản mới', limit: 10 }) },
  'POST /api/incidents/{id}/retry': { method: 'POST', path: idParam(randomUUID).map((id) => `/api/incidents/${id}/retry`), body: bodies({}) },
  'PUT /api/calendars/{agency}': { method: 'PUT', path: nameParam.map((agency) => `/api/calendars/${agency}`), body: bodies(calendar) },
  'DELETE /api/calendars/{agency}': { method: 'DELETE', path: nameParam.map((agency) => `/api/calendars/${agency}`), body: bodies({}) },
  'POST /api/analysis/procedure': { method: 'POST', path: fc.constant('/api/analysis/procedure'), body: bodies({ model: toBe }) },
  'POST /api/analysis/cost': { method: 'POST', path: fc.constant('/api/analysis/cost'), body: bodies({ asIs, toBe }) },
  // The fixture model has no cost attributes, so a report is never a file (callApi reads JSON answers).
  'POST /api/analysis/cost/report': { method: 'POST', path: fc.constantFrom('xlsx', 'pdf', 'docx', '%00', '%ED%A0%80').map((format) => `/api/analysis/cost/report?format=${format}`), body: bodies({ asIs: model(), toBe: model() }) },
  'POST /api/analysis/simulate': { method: 'POST', path: fc.constant('/api/analysis/simulate'), body: bodies({ model: toBe, dossiers: 20, seed: 7 }) },
  'POST /api/analysis/sensitivity': { method: 'POST', path: fc.constant('/api/analysis/sensitivity'), body: bodies({ asIs, toBe, limit: 3 }) },
  'POST /api/analysis/classify': { method: 'POST', path: fc.constant('/api/analysis/classify'), body: bodies({ model: toBe }) },
  'POST /api/analysis/lint': { method: 'POST', path: fc.constant('/api/analysis/lint'), body: bodies({ model: toBe }) },
  'POST /api/procedures/{key}/calibrate': { method: 'POST', path: fc.constantFrom('Process_fuzz', 'x', '%00', '%ED%A0%80', 'k'.repeat(300)).map((key) => `/api/procedures/${key}/calibrate`), body: bodies({ from: '2026-03-01', to: '2026-03-31' }) },
  'POST /api/service-publications/{key}/test-run': { method: 'POST', path: fc.constantFrom('Process_dang_ky_khai_sinh', 'x', '%00', '%ED%A0%80', 'k'.repeat(300)).map((key) => `/api/service-publications/${key}/test-run`), body: bodies({ dossierCode: '000.00.01.H01-261206-0001', serviceCode: '1.001193.000.00.00.H12', items: { sso: 'passed', 'online-submission': 'passed', 'online-payment': 'not-applicable', 'processing-and-signature': 'failed', consolidation: 'passed' } }) },
  'POST /api/service-publications/{key}/republish': { method: 'POST', path: fc.constantFrom('Process_dang_ky_khai_sinh', 'x', '%00', '%ED%A0%80', 'k'.repeat(300)).map((key) => `/api/service-publications/${key}/republish`), body: bodies({}) },
};

describe('every write endpoint, under generated bodies', () => {
  it('covers every write route of the route policy table', () => {
    const writes = ROUTE_POLICIES.filter((policy) => policy.method !== 'get').map((policy) => `${policy.method.toUpperCase()} /api${policy.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`);
    expect(Object.keys(endpoints).sort()).toEqual(writes.sort());
  });

  it.each(Object.entries(endpoints))('%s: never a 5xx; a 4xx is problem+json and stores nothing', async (_name, { method, path, body, takesStep }) => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(path, body, async (target, sent) => {
        const before = await storedRows(fixture.database.db);
        const response = 'json' in sent ? await callApi(fixture.api, method, target, sent.json) : await callApi(fixture.api, method, target, sent.raw, sent.contentType);
        statuses.add(response.status);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.type).toContain('application/problem+json');
          expect(response.body).toMatchObject({ status: response.status, code: expect.any(String), messages: { vi: expect.any(String), en: expect.any(String) }, errors: expect.any(Array) });
          expect(await storedRows(fixture.database.db)).toEqual(before);
        } else if (takesStep) {
          // A task completed, a job finished or a message delivered: the next body gets open ones.
          await freshInstance();
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The generators reach refusals on every endpoint, not only one answer.
    expect([...statuses].some((status) => status >= 400)).toBe(true);
  });
});
