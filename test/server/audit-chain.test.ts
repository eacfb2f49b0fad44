import { describe, expect, it } from 'vitest';
import { sealAuditChain } from '../../server/audit/sealer.ts';
import { verifyAuditChain } from '../../server/audit/verify.ts';
import { callApi, useApiOverTestDatabase } from '../support/api-server.ts';
import { runCli } from '../support/product-process.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const fixture = useApiOverTestDatabase();

const model = bpmnProcess(`
  <bpmn:startEvent id="start"/><bpmn:userTask id="check"/><bpmn:endEvent id="end"/>
  ${flows('start>check', 'check>end')}`, { id: 'Process_audited' });

/** Requests and engine steps worth auditing: a deployment, three dossiers started and their tasks completed. */
async function someActivity(): Promise<void> {
  expect((await callApi(fixture.api, 'POST', '/api/definitions', model, 'application/xml')).status).toBeLessThan(300);
  for (let i = 0; i < 3; i++) {
    const { body } = await callApi(fixture.api, 'POST', '/api/definitions/Process_audited/instances', { businessKey: `HS-${i}` });
    const tasks = await callApi(fixture.api, 'GET', `/api/tasks?instanceId=${body.id}`);
    expect((await callApi(fixture.api, 'POST', `/api/tasks/${tasks.body.items[0].id}/complete`, {})).status).toBe(200);
  }
  // The request log is written in small batches just after each response.
  await expect.poll(async () => Number((await fixture.database.db('audit_log').count<Array<{ count: string }>>('* as count'))[0]!.count)).toBeGreaterThanOrEqual(7);
}

describe('the audit trail (issue 9; Circular 01 Art. 23.4)', () => {
  it('records who did what, from where, with the ids created, and chains it with the engine history', async () => {
    await someActivity();
    const rows = await fixture.database.db('audit_log').orderBy('id').select('actor', 'action', 'status', 'ip', 'detail');
    expect(rows[0]).toMatchObject({ actor: expect.stringMatching(/^token:test-admin-/), action: 'POST /api/definitions', status: 201, ip: expect.stringContaining('127.0.0.1'), detail: { created: expect.any(String) } });
    expect(rows.filter((row) => row.action.startsWith('POST /api/tasks/')).length).toBe(3);
    expect(await sealAuditChain(fixture.database.db)).toBeGreaterThanOrEqual(7 + 6);
    const report = await verifyAuditChain(fixture.database.db);
    expect(report).toMatchObject({ ok: true, pending: 0 });
    expect(report.records).toBeGreaterThanOrEqual(13);
  });

  it('notices a seal that was changed', async () => {
    const { db } = fixture.database;
    await someActivity();
    await sealAuditChain(db);
    const [seal] = await db('audit_seals').orderBy('id', 'desc').limit(1).select<Array<{ id: string }>>('id');
    await db('audit_seals').where({ id: seal!.id }).update({ row_count: db.raw('row_count - 1') });
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({ kind: 'seal', sealId: String(seal!.id) });
    await db('audit_seals').where({ id: seal!.id }).update({ row_count: db.raw('row_count + 1') });
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('names the first record altered in SQL, and the CLI exits 1 saying so', async () => {
    const { db } = fixture.database;
    await someActivity();
    await sealAuditChain(db);
    const victim = await db('instance_history').orderBy('id').offset(2).first<{ id: string }>('id');
    await db('instance_history').where({ id: victim.id }).update({ actor: 'someone else' });
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'altered', table: 'instance_history', recordId: String(victim.id) });

    const cli = await runCli(['audit', 'verify'], { DATABASE_URL: fixture.database.url, LOG_LEVEL: 'silent' });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`instance_history ${victim.id}`);
    expect(cli.stdout).toContain('altered');
  });

  it('names a removed record and a record moved to another place', async () => {
    const { db } = fixture.database;
    // Start from a good chain: put the altered row of the previous test back as it was sealed.
    await db('instance_history').where({ actor: 'someone else' }).update({ actor: (await db('instance_history').whereNot({ actor: 'someone else' }).whereNotNull('actor').first<{ actor: string }>('actor')).actor });
    const before = await verifyAuditChain(db);
    expect(before.ok, JSON.stringify(before.firstBreak)).toBe(true);

    const [first, second] = await db('audit_log').orderBy('id').limit(2).select<Array<{ id: string; action: string }>>('id', 'action');
    // Reordered: the two records exchange their places (ids).
    await db.transaction(async (trx) => {
      await trx('audit_log').where({ id: first!.id }).update({ id: -1 });
      await trx('audit_log').where({ id: second!.id }).update({ id: first!.id });
      await trx('audit_log').where({ id: -1 }).update({ id: second!.id });
    });
    // Whichever of the two comes first in the chain (by transaction, then id) is named.
    const swapped = (await verifyAuditChain(db)).firstBreak;
    expect(swapped).toMatchObject({ kind: 'altered', table: 'audit_log' });
    expect([String(first!.id), String(second!.id)]).toContain(swapped!.recordId);
    await db.transaction(async (trx) => {
      await trx('audit_log').where({ id: first!.id }).update({ id: -1 });
      await trx('audit_log').where({ id: second!.id }).update({ id: first!.id });
      await trx('audit_log').where({ id: -1 }).update({ id: second!.id });
    });
    expect((await verifyAuditChain(db)).ok).toBe(true);

    await db('audit_log').where({ id: second!.id }).delete();
    expect((await verifyAuditChain(db)).firstBreak).toMatchObject({ kind: 'removed', table: expect.any(String), position: expect.any(Number) });
  });

});
