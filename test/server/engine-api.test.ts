import { readFile } from 'node:fs/promises';
import knexFactory from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyInstanceEvent } from '../../server/execution/instances.ts';
import { callApi, useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const receipt = await readFile(new URL('../fixtures/run/receipt-amendment.bpmn', import.meta.url), 'utf8');

const fixture = useApiOverTestDatabase();

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

const deploy = (xml: string) => call('POST', '/api/definitions', xml, 'application/xml');

async function engineRows() {
  const counts = await Promise.all(
    ['process_definitions', 'process_instances', 'user_tasks', 'service_jobs', 'message_subscriptions', 'instance_history', 'incidents'].map(async (table) => [table, (await fixture.database.db(table).count<Array<{ count: string }>>('* as count'))[0]!.count]),
  );
  return Object.fromEntries(counts);
}

describe('deployment', () => {
  it('deploys versions: a changed model is the next version, the same model is not redeployed', async () => {
    const first = await deploy(receipt.replace('Process_receipt', 'Process_versions'));
    expect(first).toMatchObject({ status: 201, body: { key: 'Process_versions', version: 1 } });
    expect(await deploy(receipt.replace('Process_receipt', 'Process_versions'))).toMatchObject({ status: 200, body: { id: first.body.id, version: 1 } });
    const changed = await deploy(receipt.replace('Process_receipt', 'Process_versions').replace('Kiểm tra hồ sơ', 'Kiểm tra hồ sơ điện tử'));
    expect(changed).toMatchObject({ status: 201, body: { version: 2 } });
  });

  it('keeps a running instance on the version it started with', async () => {
    const key = 'Process_pinned';
    await deploy(receipt.replace('Process_receipt', key));
    const { body: started } = await call('POST', `/api/definitions/${key}/instances`, {});
    await deploy(receipt.replace('Process_receipt', key).replace('name="Kiểm tra hồ sơ"', 'name="Kiểm tra"'));
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ definitionKey: key, version: 1 });
    const { body: later } = await call('POST', `/api/definitions/${key}/instances`, {});
    expect((await call('GET', `/api/instances/${later.id}`)).body.version).toBe(2);
  });

  const oversized = receipt.replace('</bpmn:process>', `<bpmn:documentation>${'x'.repeat(20 * 1024 * 1024)}</bpmn:documentation></bpmn:process>`);
  it.each([
    ['malformed XML', '<bpmn:definitions', 422, 'bpmn.unreadable'],
    ['a DOCTYPE with an external entity (XXE)', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${receipt.replace(/^<\?xml[^>]*>/, '')}`, 422, 'bpmn.doctype-forbidden'],
    ['a 20 MB model', oversized, 413, 'request.too-large'],
    ['an unsupported element', bpmnProcess(`<bpmn:startEvent id="s"/><bpmn:complexGateway id="c"/><bpmn:endEvent id="e"/>${flows('s>c', 'c>e')}`), 422, 'bpmn.not-executable'],
    ['an empty body', '', 400, 'definition.xml-required'],
  ])('refuses %s with a clear 4xx and stores nothing', async (_name, xml, status, code) => {
    const before = await engineRows();
    const response = await deploy(xml);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect(await engineRows()).toEqual(before);
  });

  it('names every offending element of a model it cannot execute', async () => {
    const response = await deploy(bpmnProcess(`<bpmn:startEvent id="s"/><bpmn:serviceTask id="noJobType"/><bpmn:complexGateway id="c"/><bpmn:endEvent id="e"/>${flows('s>noJobType', 'noJobType>c', 'c>e')}`));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { elementId: string }) => error.elementId)).toEqual(expect.arrayContaining(['noJobType', 'c']));
  });
});

describe('running a dossier', () => {
  beforeAll(async () => {
    await deploy(receipt);
  });

  it('starts an instance, lists its task for the lane, and completes it through an external job', async () => {
    const started = await call('POST', '/api/definitions/Process_receipt/instances', { businessKey: 'HS-000.00.01.H01-250310-0001', variables: { applicant: 'Trần Thị B' } });
    expect(started.status).toBe(201);
    const tasks = (await call('GET', `/api/tasks?candidateGroup=${encodeURIComponent('Bộ phận một cửa')}&instanceId=${started.body.id}`)).body.items;
    expect(tasks).toEqual([expect.objectContaining({ instanceId: started.body.id, elementId: 'check', name: 'Kiểm tra hồ sơ', candidateGroup: 'Bộ phận một cửa', dueAt: expect.any(String) })]);
    expect((await call('POST', `/api/tasks/${tasks[0].id}/complete`, { variables: { complete: true } })).status).toBe(200);

    const [job] = (await call('GET', '/api/jobs?type=portal.sync&limit=500')).body.items.filter((j: { instanceId: string }) => j.instanceId === started.body.id);
    expect(job).toMatchObject({ elementId: 'number', type: 'portal.sync' });
    expect((await call('POST', `/api/jobs/${job.id}/complete`, { variables: { dossierNumber: 'H01-0001' } })).status).toBe(200);
    expect((await call('POST', `/api/jobs/${job.id}/complete`, {})).status).toBe(409);

    const instance = (await call('GET', `/api/instances/${started.body.id}`)).body;
    expect(instance).toMatchObject({ status: 'completed', activeElementIds: [], businessKey: 'HS-000.00.01.H01-250310-0001', variables: { applicant: 'Trần Thị B', complete: true, dossierNumber: 'H01-0001' } });
    const history = (await call('GET', `/api/instances/${started.body.id}/history`)).body.items;
    expect(history.map((entry: { eventType: string; elementId: string | null }) => [entry.eventType, entry.elementId])).toEqual([['start', null], ['task.complete', 'check'], ['job.complete', 'number']]);
    expect(history[1]).toMatchObject({ actor: expect.stringMatching(/^token:test-admin-/), variablesChanged: { complete: true }, activeAfter: ['number'] });
  });

  it('lets exactly one of two simultaneous completions of a task through: one 200, one 409', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_receipt/instances', {});
    const [task] = (await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items;
    const results = await Promise.all([1, 2].map((n) => call('POST', `/api/tasks/${task.id}/complete`, { variables: { complete: false, by: n } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('task.not-open');
    // the amendment task opened once, not twice
    expect((await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items.map((t: { elementId: string }) => t.elementId)).toEqual(['amend']);
  });

  it('records an incident when an external job keeps failing, and retries it', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_receipt/instances', { variables: {} });
    const [task] = (await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items;
    await call('POST', `/api/tasks/${task.id}/complete`, { variables: { complete: true } });
    const [job] = (await call('GET', '/api/jobs?type=portal.sync&limit=500')).body.items.filter((j: { instanceId: string }) => j.instanceId === started.id);
    const failures = [];
    for (let attempt = 0; attempt < 5; attempt++) failures.push((await call('POST', `/api/jobs/${job.id}/fail`, { message: 'Cổng dịch vụ công không trả lời' })).body);
    expect(failures.map((f) => f.attempts)).toEqual([1, 2, 3, 4, 5]);
    expect(failures[2].incidentId).toEqual(expect.any(String));
    // failing on after the limit reports the same incident, not a new one each time
    expect(failures.map((f) => f.incidentId)).toEqual([null, null, failures[2].incidentId, failures[2].incidentId, failures[2].incidentId]);
    const incidents = (await call('GET', '/api/incidents')).body.items;
    expect(incidents.filter((incident: { jobId: string }) => incident.jobId === job.id)).toEqual([expect.objectContaining({ id: failures[2].incidentId, elementId: 'number', message: 'Cổng dịch vụ công không trả lời' })]);
    expect((await call('POST', `/api/incidents/${failures[2].incidentId}/retry`)).status).toBe(200);
    expect((await call('POST', `/api/incidents/${failures[2].incidentId}/retry`)).status).toBe(409);
    expect((await call('GET', '/api/jobs?type=portal.sync&limit=500')).body.items.find((j: { id: string }) => j.id === job.id)?.attempts).toBe(0);
  });

  it.each([
    ['start: variables that are not an object', 'POST', '/api/definitions/Process_receipt/instances', { variables: [1, 2] }, 400, 'body.variables'],
    ['start: an unknown key', 'POST', '/api/definitions/Khong_co/instances', {}, 404, undefined],
    ['start: a start event the process does not have', 'POST', '/api/definitions/Process_receipt/instances', { startEventId: 'StartEvent_typo' }, 400, 'body.startEventId'],
    ['start: an element that is not a start event', 'POST', '/api/definitions/Process_receipt/instances', { startEventId: 'check' }, 400, 'body.startEventId'],
    ['complete: a task id that is not a UUID', 'POST', '/api/tasks/abc/complete', {}, 400, 'params.id'],
    ['complete: an unknown task', 'POST', '/api/tasks/00000000-0000-4000-8000-000000000000/complete', {}, 404, undefined],
    ['message: no name', 'POST', '/api/messages', { correlationKey: 'x' }, 400, 'body.name'],
    ['job fail: no message', 'POST', '/api/jobs/00000000-0000-4000-8000-000000000000/fail', {}, 400, 'body.message'],
  ])('refuses %s and stores nothing', async (_name, method, path, body, status, field) => {
    const before = await engineRows();
    const response = await call(method, path, body);
    expect(response.status).toBe(status);
    if (field) expect(response.body.errors).toContainEqual(expect.objectContaining({ field }));
    expect(await engineRows()).toEqual(before);
  });
});

describe('messages and timers', () => {
  const waiting = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:eventBasedGateway id="wait"/>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Message_paid" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="expired"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="settled"/>
    <bpmn:endEvent id="lapsed"><bpmn:terminateEventDefinition/></bpmn:endEvent>
    ${flows('start>wait', 'wait>paid', 'wait>expired', 'paid>settled', 'expired>lapsed')}
  `, { id: 'Process_payment', outside: '<bpmn:message id="Message_paid" name="payment.settled"/>' });

  beforeAll(async () => {
    await deploy(waiting);
  });
  useJobRunner(fixture);

  it('correlates a message by its correlation key, once', async () => {
    const a = (await call('POST', '/api/definitions/Process_payment/instances', { variables: { dossierNumber: 'HS-A' } })).body;
    const b = (await call('POST', '/api/definitions/Process_payment/instances', { variables: { dossierNumber: 'HS-B' } })).body;
    const message = { name: 'payment.settled', correlationKey: 'HS-A', variables: { amount: 30_000 }, messageId: 'bank-tx-1' };
    expect((await call('POST', '/api/messages', message)).body).toEqual({ correlated: 1 });
    expect((await call('POST', '/api/messages', message)).body).toEqual({ correlated: 0, duplicate: true }); // redelivered
    expect((await call('GET', `/api/instances/${a.id}`)).body).toMatchObject({ status: 'completed', variables: { amount: 30_000 } });
    expect((await call('GET', `/api/instances/${b.id}`)).body.status).toBe('active');
  });

  it('gives a subscription whose correlation key came out null no message, keyed or not', async () => {
    const keyed = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Message_fee" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>paid', 'paid>end')}
    `, { id: 'Process_fee', outside: '<bpmn:message id="Message_fee" name="fee.settled"/>' });
    await deploy(keyed);
    const a = (await call('POST', '/api/definitions/Process_fee/instances', { variables: { dossierNumber: 'HS-A' } })).body;
    const unnumbered = (await call('POST', '/api/definitions/Process_fee/instances', { variables: {} })).body;
    expect((await call('POST', '/api/messages', { name: 'fee.settled', correlationKey: 'HS-A' })).body).toEqual({ correlated: 1 });
    expect((await call('POST', '/api/messages', { name: 'fee.settled' })).body).toEqual({ correlated: 0 });
    expect((await call('GET', `/api/instances/${a.id}`)).body.status).toBe('completed');
    expect((await call('GET', `/api/instances/${unnumbered.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['paid'] });
  });

  it('fires a due timer from the job queue and disarms the message', async () => {
    const { body: started } = await call('POST', '/api/definitions/Process_payment/instances', { variables: { dossierNumber: 'HS-C' } });
    await expect.poll(async () => (await call('GET', `/api/instances/${started.id}`)).body.status, { timeout: 15_000, interval: 250 }).toBe('terminated');
    expect(await fixture.database.db('message_subscriptions').where({ instance_id: started.id })).toEqual([]);
    const history = (await call('GET', `/api/instances/${started.id}/history`)).body.items;
    expect(history.map((entry: { eventType: string }) => entry.eventType)).toEqual(['start', 'timer']);
  });

  it("arms a timer written as a bpmn-engine expression with what the instance's variable holds, or fails the instance", async () => {
    await deploy(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>\${environment.variables.wait}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>pause', 'pause>end')}
    `, { id: 'Process_pause' }));
    const { body: waits } = await call('POST', '/api/definitions/Process_pause/instances', { variables: { wait: 'PT1S' } });
    await expect.poll(async () => (await call('GET', `/api/instances/${waits.id}`)).body.status, { timeout: 15_000, interval: 250 }).toBe('completed');
    const { body: unreadable } = await call('POST', '/api/definitions/Process_pause/instances', { variables: { wait: 'soon' } });
    expect((await call('GET', `/api/instances/${unreadable.id}`)).body).toMatchObject({ status: 'failed' });
  });
});

describe('built-in jobs', () => {
  const numbering = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="number" qt:jobType="dossier.number"/>
    <bpmn:boundaryEvent id="badAgency" attachedToRef="number"><bpmn:errorEventDefinition errorRef="Error_agency"/></bpmn:boundaryEvent>
    <bpmn:userTask id="fixAgency"/>
    <bpmn:endEvent id="numbered"/>
    <bpmn:endEvent id="unnumbered"/>
    ${flows('start>number', 'number>numbered', 'badAgency>fixAgency', 'fixAgency>unnumbered')}
  `, { id: 'Process_numbering', outside: '<bpmn:error id="Error_agency" errorCode="AGENCY_CODE_INVALID"/>' });

  beforeAll(async () => {
    await deploy(numbering);
  });
  useJobRunner(fixture);

  const finished = async (id: string) => {
    await expect.poll(async () => (await call('GET', `/api/instances/${id}`)).body.activeElementIds.includes('number'), { timeout: 15_000, interval: 100 }).toBe(false);
    return (await call('GET', `/api/instances/${id}`)).body;
  };

  it('gives applications consecutive numbers of the agency and the day (Decree 45 Art. 12.2.c)', async () => {
    const started: string[] = [];
    for (let i = 0; i < 3; i++) started.push((await call('POST', '/api/definitions/Process_numbering/instances', { variables: { agencyCode: '000.00.01.H01' } })).body.id as string);
    const numbers = [];
    for (const id of started) numbers.push((await finished(id)).variables.applicationNumber as string);
    expect(numbers.map((n) => n.replace(/-\d{6}-/, '-yymmdd-')).sort()).toEqual(['000.00.01.H01-yymmdd-0001', '000.00.01.H01-yymmdd-0002', '000.00.01.H01-yymmdd-0003']);
    // built-in jobs are not offered to outside systems
    expect((await call('GET', '/api/jobs?type=dossier.number&limit=500')).body.items.filter((j: { instanceId: string }) => started.includes(j.instanceId))).toEqual([]);
  });

  it('keeps the number an application already has', async () => {
    const { body } = await call('POST', '/api/definitions/Process_numbering/instances', { variables: { agencyCode: '000.00.01.H01', applicationNumber: '000.00.01.H01-250101-0042' } });
    expect((await finished(body.id)).variables.applicationNumber).toBe('000.00.01.H01-250101-0042');
  });

  it('raises a business error the model catches when the agency code is wrong', async () => {
    const { body } = await call('POST', '/api/definitions/Process_numbering/instances', { variables: { agencyCode: 'không rõ' } });
    expect((await finished(body.id)).activeElementIds).toEqual(['fixAgency']);
  });
});

describe('multi-instance over the API', () => {
  it('opens a task per agency to consult, each with its agency, and goes on when all have answered', async () => {
    const consult = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/></bpmn:userTask>
      <bpmn:userTask id="decide"/>
      <bpmn:endEvent id="end"/>
      ${flows('start>consult', 'consult>decide', 'decide>end')}
    `, { id: 'Process_consult_each' });
    await deploy(consult);
    const agencies = ['Công an tỉnh', 'Cục Thuế'];
    const { body: started } = await call('POST', '/api/definitions/Process_consult_each/instances', { variables: { agencies } });
    // Created in one step, the two tasks are due and created at the same moment: the list breaks the tie by id, not by item.
    const tasks = (await call('GET', `/api/tasks?instanceId=${started.id}`)).body.items.sort((a: { index: number }, b: { index: number }) => a.index - b.index);
    expect(tasks.map((t: { index: number; item: string }) => [t.index, t.item])).toEqual([[0, 'Công an tỉnh'], [1, 'Cục Thuế']]);
    expect((await call('POST', `/api/tasks/${tasks[1].id}/complete`, { variables: { tax: 'đồng ý' } })).status).toBe(200);
    expect((await call('POST', `/api/tasks/${tasks[1].id}/complete`, {})).status).toBe(409);
    expect((await call('GET', `/api/instances/${started.id}`)).body.activeElementIds).toEqual(['consult']);
    expect((await call('POST', `/api/tasks/${tasks[0].id}/complete`, { variables: { police: 'đồng ý' } })).status).toBe(200);
    expect((await call('GET', `/api/instances/${started.id}`)).body).toMatchObject({ activeElementIds: ['decide'], variables: { tax: 'đồng ý', police: 'đồng ý' } });
  });

  it('refuses a start whose variables ask for more instances than allowed, naming the element and the variable, and stores nothing', async () => {
    const copies = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="sign"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>= copies</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:endEvent id="end"/>
      ${flows('start>sign', 'sign>end')}
    `, { id: 'Process_copies' });
    await deploy(copies);
    const before = await engineRows();
    const response = await call('POST', '/api/definitions/Process_copies/instances', { variables: { copies: 100_000_000 } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'multi-instance.too-many', errors: [expect.objectContaining({ elementId: 'sign' })] });
    expect(response.body.messages.en).toContain('loopCardinality "copies"');
    expect(await engineRows()).toEqual(before);
  });
});

describe('the connection pool', () => {
  it('applies an event on a definition not compiled yet with a single pooled connection (no self-deadlock)', async () => {
    const waiting = bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="signed"><bpmn:messageEventDefinition messageRef="Message_signed"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${flows('start>signed', 'signed>end')}
    `, { id: 'Process_pool', outside: '<bpmn:message id="Message_signed" name="decision.signed"/>' });
    await deploy(waiting);
    const { body: started } = await call('POST', '/api/definitions/Process_pool/instances', {});
    // As after a restart: the instance's definition is one this process has never compiled (a
    // copy stored as the next version of the key: a definition's key is its process's id).
    const db = fixture.database.db;
    const [cold] = await db.raw<{ rows: Array<{ id: string }> }>(
      "insert into process_definitions (key, version, name, xml, checksum) select key, 2, name, xml, checksum from process_definitions where key = 'Process_pool' returning id",
    ).then((result) => result.rows);
    await db('process_instances').where({ id: started.id }).update({ definition_id: cold!.id });
    const single = knexFactory({ client: 'pg', connection: fixture.database.url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 3_000 });
    try {
      const outcome = await applyInstanceEvent(single, started.id, { type: 'message', elementId: 'signed' }, { eventId: 'pool-1' });
      expect(outcome.kind).toBe('applied');
    } finally {
      await single.destroy();
    }
    expect((await call('GET', `/api/instances/${started.id}`)).body.status).toBe('completed');
  });
});
