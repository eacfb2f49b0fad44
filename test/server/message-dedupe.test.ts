import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase, type ApiServer } from '../support/api-server.ts';
import { startProductProcess, type ProductProcess } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';

/**
 * A message resent with the same id is delivered once, whichever server process each copy
 * reaches and however many arrive at once: the second of two successive catches of the same
 * message must not take a resend of the message that released the first.
 */
const fixture = useApiOverTestDatabase();

// A second server process on the same database: a real `quytrinh start`.
let other: ProductProcess;
let otherApi: ApiServer;
beforeAll(async () => {
  other = await startProductProcess({ DATABASE_URL: fixture.database.url, PORT: '0', LOG_LEVEL: 'warn' }, ['--no-build']);
  // The same database, so the same administrator token works on both.
  otherApi = { ...fixture.api, url: other.url, fetch: (path, init = {}) => fetch(`${other.url}${path}`, { ...init, headers: { authorization: `Bearer ${fixture.api.token}`, ...(init.headers as Record<string, string> | undefined) } }), close: () => Promise.resolve() };
});
afterAll(async () => {
  await other?.stop('SIGTERM');
});

const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

/** `copies` sends of one message at once, alternating between the two servers. */
async function sendConcurrently(message: Record<string, unknown>, copies: number): Promise<Array<{ correlated: number; duplicate?: boolean }>> {
  const responses = await Promise.all(Array.from({ length: copies }, (_, i) => callApi(i % 2 === 0 ? fixture.api : otherApi, 'POST', '/api/messages', message)));
  for (const response of responses) expect(response.status).toBe(200);
  return responses.map((response) => response.body as { correlated: number; duplicate?: boolean });
}

const twoCatches = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:intermediateCatchEvent id="firstInstalment"><bpmn:messageEventDefinition messageRef="Message_fee" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="secondInstalment"><bpmn:messageEventDefinition messageRef="Message_fee" qt:correlationKey="=dossierNumber"/></bpmn:intermediateCatchEvent>
  <bpmn:userTask id="issue"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>firstInstalment', 'firstInstalment>secondInstalment', 'secondInstalment>issue', 'issue>end')}
`, { id: 'Process_instalments', outside: '<bpmn:message id="Message_fee" name="fee.instalment-paid"/>' });

const messageStart = bpmnProcess(`
  <bpmn:startEvent id="submitted"><bpmn:messageEventDefinition messageRef="Message_submitted"/></bpmn:startEvent>
  <bpmn:userTask id="receive"/>
  <bpmn:endEvent id="end"/>
  ${flows('submitted>receive', 'receive>end')}
`, { id: 'Process_portal', outside: '<bpmn:message id="Message_submitted" name="portal.dossier-submitted"/>' });

describe('message resends', () => {
  beforeAll(async () => {
    expect((await call('POST', '/api/definitions', twoCatches, 'application/xml')).status).toBe(201);
    expect((await call('POST', '/api/definitions', messageStart, 'application/xml')).status).toBe(201);
  });

  it('moves an instance exactly once for 50 concurrent sends of one id, round after round', async () => {
    for (let round = 1; round <= 5; round++) {
      const dossierNumber = `HS-${round}`;
      const { body: instance } = await call('POST', '/api/definitions/Process_instalments/instances', { variables: { dossierNumber } });
      const message = { name: 'fee.instalment-paid', correlationKey: dossierNumber, messageId: `bank-${round}`, variables: { round } };

      const answers = await sendConcurrently(message, 50);

      expect(answers.filter((answer) => answer.correlated === 1 && answer.duplicate === undefined)).toHaveLength(1);
      expect(answers.filter((answer) => answer.correlated === 0 && answer.duplicate === true)).toHaveLength(49);
      expect((await call('GET', `/api/instances/${instance.id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['secondInstalment'] });
      const history = (await call('GET', `/api/instances/${instance.id}/history`)).body.items as Array<{ eventType: string }>;
      expect(history.filter((entry) => entry.eventType === 'message')).toHaveLength(1);

      // The second instalment, a message of its own, still releases the second catch.
      expect((await call('POST', '/api/messages', { ...message, messageId: `bank-${round}-b` })).body).toEqual({ correlated: 1 });
      expect((await call('GET', `/api/instances/${instance.id}`)).body.activeElementIds).toEqual(['issue']);
    }
  });

  it('tells messages apart by name and correlation key as well as by id', async () => {
    const { body: a } = await call('POST', '/api/definitions/Process_instalments/instances', { variables: { dossierNumber: 'HS-A' } });
    const { body: b } = await call('POST', '/api/definitions/Process_instalments/instances', { variables: { dossierNumber: 'HS-B' } });
    expect((await call('POST', '/api/messages', { name: 'fee.instalment-paid', correlationKey: 'HS-A', messageId: 'bank-shared' })).body).toEqual({ correlated: 1 });
    expect((await call('POST', '/api/messages', { name: 'fee.instalment-paid', correlationKey: 'HS-B', messageId: 'bank-shared' })).body).toEqual({ correlated: 1 });
    expect((await call('POST', '/api/messages', { name: 'fee.instalment-paid', correlationKey: 'HS-A', messageId: 'bank-shared' })).body).toEqual({ correlated: 0, duplicate: true });
    for (const instance of [a, b]) expect((await call('GET', `/api/instances/${instance.id}`)).body.activeElementIds).toEqual(['secondInstalment']);
  });

  it('starts one instance for 50 concurrent sends of one id to a message start event', async () => {
    const message = { name: 'portal.dossier-submitted', messageId: 'portal-7', variables: { applicant: 'Trần Văn E' } };

    const answers = await sendConcurrently(message, 50);

    expect(answers.filter((answer) => answer.correlated === 1)).toHaveLength(1);
    expect(answers.filter((answer) => answer.duplicate === true)).toHaveLength(49);
    const started = await fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', 'Process_portal').select('i.variables');
    expect(started).toEqual([{ variables: { applicant: 'Trần Văn E' } }]);
  });
});

describe('a message reaching several instances', () => {
  const broadcast = bpmnProcess(`
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="notified"><bpmn:messageEventDefinition messageRef="Message_notice"/></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="review"/>
    <bpmn:endEvent id="end"/>
    ${flows('start>notified', 'notified>review', 'review>end')}
  `, { id: 'Process_notice', outside: '<bpmn:message id="Message_notice" name="notice.published"/>' });

  it('gives way to a transaction locking its instances in the other order, then delivers', async () => {
    expect((await call('POST', '/api/definitions', broadcast, 'application/xml')).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await call('POST', '/api/definitions/Process_notice/instances', {})).body.id);
    const [first, second] = ids.sort() as [string, string]; // the message locks them in this order
    const { db } = fixture.database;

    // Another transaction holds the second instance
    const other = await db.transaction();
    await other('process_instances').where({ id: second }).forUpdate();
    const sent = call('POST', '/api/messages', { name: 'notice.published', messageId: 'notice-1' });
    // while the message, holding the first, waits for it
    const waitingForLocks = async () => (await db.raw<{ rows: Array<{ n: number }> }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0]!.n;
    await expect.poll(waitingForLocks, { interval: 10 }).toBe(1);

    // When that transaction then wants the first instance (a deadlock, were neither to give way)
    await other('process_instances').where({ id: first }).forUpdate();
    await other.commit();

    // Then it got both, and the message, tried again, still reached both instances once
    expect(await sent).toMatchObject({ status: 200, body: { correlated: 1 + 1 } });
    for (const id of ids) expect((await call('GET', `/api/instances/${id}`)).body.activeElementIds).toEqual(['review']);
  });
});
