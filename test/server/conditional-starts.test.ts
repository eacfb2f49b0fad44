import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { callAs, createPerson, sessionOf, tokenFor } from '../support/identities.ts';
import { bpmnProcess, flows } from '../support/process.ts';
import { storedRows } from '../support/stored-rows.ts';

/**
 * Conditional start events (BPMN 2.0 §10.5.2, issue 15): `POST /api/conditions/evaluate` sends
 * data; each process (latest version) whose conditional start holds over it starts, with it.
 */
const fixture = useApiOverTestDatabase();
const call = (method: string, path: string, body?: unknown, contentType?: string) => callApi(fixture.api, method, path, body, contentType);

const whenFee = (id: string, condition: string, task = 'review') => bpmnProcess(`
  <bpmn:startEvent id="start"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">${condition}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
  <bpmn:userTask id="${task}"/>
  <bpmn:endEvent id="end"/>
  ${flows(`start>${task}`, `${task}>end`)}
`, { id });

const instancesOf = (key: string) =>
  fixture.database.db('process_instances as i').join('process_definitions as d', 'd.id', 'i.definition_id').where('d.key', key).orderBy('i.started_at').select<Array<{ version: number; active_element_ids: string[]; variables: Record<string, unknown> }>>('d.version', 'i.active_element_ids', 'i.variables');

beforeAll(async () => {
  for (const xml of [whenFee('Process_large_fee', 'soTien &gt; 1000000'), whenFee('Process_large_fee', 'soTien &gt;= 5000000', 'audit'), whenFee('Process_any_fee', 'soTien &gt; 0')]) {
    expect((await call('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
  }
});

describe('POST /api/conditions/evaluate', () => {
  it('starts the latest version of each process whose condition holds, with the data, once per evaluation id', async () => {
    expect((await call('POST', '/api/conditions/evaluate', { variables: { soTien: 2_000_000 } })).body).toEqual({ started: 1 });
    expect(await instancesOf('Process_large_fee')).toEqual([]); // version 2 asks for 5.000.000 đ; version 1 is not the latest
    expect((await instancesOf('Process_any_fee')).map(({ variables }) => variables)).toEqual([{ soTien: 2_000_000 }]);
    const sent = { variables: { soTien: 6_000_000 }, evaluationId: 'tax-portal-42' };
    expect((await call('POST', '/api/conditions/evaluate', sent)).body).toEqual({ started: 2 });
    expect((await call('POST', '/api/conditions/evaluate', sent)).body).toEqual({ started: 0 }); // a resend
    expect(await instancesOf('Process_large_fee')).toEqual([{ version: 2, active_element_ids: ['audit'], variables: { soTien: 6_000_000 } }]);
    expect(await instancesOf('Process_any_fee')).toHaveLength(2);
    expect((await call('POST', '/api/conditions/evaluate', { variables: { soTien: 0 } })).body).toEqual({ started: 0 });
    expect((await call('POST', '/api/conditions/evaluate', { variables: { lePhi: 6_000_000 } })).body).toEqual({ started: 0 }); // soTien missing: no condition holds
  });

  it('is open to staff, administrators and worker tokens only', async () => {
    const { db } = fixture.database;
    const body = { variables: { khac: true } };
    for (const [username, role] of [['cond-citizen', 'citizen'], ['cond-official', 'official'], ['cond-analyst', 'analyst']] as const) {
      expect((await callAs(fixture.api, await sessionOf(db, await createPerson(db, username, [role])), 'POST', '/api/conditions/evaluate', body)).status).toBe(403);
    }
    expect((await callAs(fixture.api, null, 'POST', '/api/conditions/evaluate', body)).status).toBe(401);
    expect((await callAs(fixture.api, await sessionOf(db, await createPerson(db, 'cond-staff', ['staff'])), 'POST', '/api/conditions/evaluate', body)).status).toBe(200);
    expect((await callAs(fixture.api, await tokenFor(db, 'worker'), 'POST', '/api/conditions/evaluate', body)).status).toBe(200);
  });

  it('refuses a bad body with a 400 naming the field, storing nothing', async () => {
    for (const [sent, field] of [
      [{}, 'body.variables'],
      [{ variables: [1] }, 'body.variables'],
      [{ variables: { soTien: 6_000_000 }, evaluationId: '' }, 'body.evaluationId'],
    ] as const) {
      const before = await storedRows(fixture.database.db);
      const refused = await call('POST', '/api/conditions/evaluate', sent);
      expect(refused.status).toBe(400);
      expect(refused.body.messages).toEqual({ vi: expect.any(String), en: expect.any(String) });
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ field }));
      expect(await storedRows(fixture.database.db)).toEqual(before);
    }
  });
});
