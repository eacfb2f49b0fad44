import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { LIVE_FACTS, STORED_FACTS } from '../../server/indicators/groups.ts';
import { DOSSIER_COLUMNS, ROLLUP_COUNTS, vietnamDaySql } from '../../server/indicators/rollup.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs } from '../support/identities.ts';
import { seedIndicatorFixture, type IndicatorFixture } from '../support/indicator-fixture.ts';

/**
 * Issue 14, the indicators' stored facts (migration 0040, docs/indicators.md "Speed"): after a
 * mix of writes — real dossiers submitted, received, refused and cancelled through the API, the
 * engine's steps, and direct changes to every table the facts read (notices added and removed,
 * steps finished late and moved, payments failing then succeeding, a rating, a digitization
 * confirmed, a result and its signed document, a dossier ended) — each dossier's stored facts
 * equal the facts counted afresh from those tables by the groups' own SQL.
 */
const fixture = useApiOverTestDatabase();
// The built-in jobs (the data-store look-up before the receipt check, the dossier number after it) run as in the product.
useJobRunner(fixture);
let fx: IndicatorFixture;

const names = STORED_FACTS.map(([name]) => name);

/** Every dossier whose stored facts differ from a fresh count, with both. */
async function mismatches() {
  const { rows } = await fixture.database.db.raw<{ rows: Array<Record<string, unknown>> }>(
    `select d.id, d.code, to_jsonb(x) - 'dossier_id' as stored, jsonb_build_object(${STORED_FACTS.map(([name, sql]) => `'${name}', ${sql}`).join(', ')}) as counted
       from dossiers d left join dossier_indicator_facts x on x.dossier_id = d.id`,
  );
  return rows.filter((row) => JSON.stringify(row.stored) !== JSON.stringify(row.counted) && !sameFacts(row.stored as Record<string, unknown> | null, row.counted as Record<string, unknown>));
}

/** The same facts, timestamps compared as instants (jsonb writes both as text). */
function sameFacts(stored: Record<string, unknown> | null, counted: Record<string, unknown>): boolean {
  if (!stored) return false;
  return names.every((name) => {
    const a = stored[name];
    const b = counted[name];
    if (typeof a === 'string' && typeof b === 'string') return Date.parse(a) === Date.parse(b);
    return a === b;
  });
}

/**
 * Every day of the rollup (migration 0043) that differs from the ended dossiers' figures counted
 * afresh from the tables (the groups' facts over `dossiers`, not the stored facts), per agency,
 * procedure and day of receipt; a day whose sums are all 0 is as good as absent.
 */
async function rollupMismatches() {
  const key = `day, agency_code, procedure_key, procedure_name`;
  const { rows } = await fixture.database.db.raw<{ rows: Array<{ stored: Record<string, unknown> | null; counted: Record<string, unknown> | null }> }>(
    `with counted as (
       select ${vietnamDaySql('f.submitted_at')} as day, f.agency_code, f.procedure_key, f.procedure_name, ${ROLLUP_COUNTS.map(([column, aggregate]) => `(${aggregate})::int as ${column}`).join(', ')}
         from (select ${DOSSIER_COLUMNS.map((c) => `d.${c}`).join(', ')}, ${STORED_FACTS.map(([name, sql]) => `${sql} as ${name}`).join(', ')},
                      ${LIVE_FACTS.map(([name]) => `false as ${name}`).join(', ')}, null::timestamptz as now
                 from dossiers d where d.ended_at is not null) as f
        group by 1, f.agency_code, f.procedure_key, f.procedure_name),
     stored as (select * from dossier_indicator_days where ${ROLLUP_COUNTS.map(([column]) => `${column} <> 0`).join(' or ')})
     select to_jsonb(s) as stored, to_jsonb(c) as counted from stored s full join counted c using (${key})
      where s is null or c is null or to_jsonb(s) <> to_jsonb(c)`,
  );
  return rows;
}

beforeAll(async () => {
  const db = fixture.database.db;
  await createDemoData(db, pino({ level: 'silent' }));
  fx = await seedIndicatorFixture(db);
}, 120_000);

describe('stored indicator facts (migration 0040)', () => {
  it('are the groups’ facts: the refresh function computes each of them', async () => {
    const { rows } = await fixture.database.db.raw<{ rows: Array<{ source: string }> }>("select prosrc as source from pg_proc where proname = 'refresh_dossier_indicator_facts'");
    expect(rows).toHaveLength(1);
    for (const [name, sql] of STORED_FACTS) expect(rows[0]!.source, name).toContain(sql);
  });

  it('are summed per day by the rollup: its function adds every indicator’s aggregates (migration 0043)', async () => {
    const { rows } = await fixture.database.db.raw<{ rows: Array<{ source: string }> }>("select prosrc as source from pg_proc where proname = 'change_dossier_indicator_days'");
    expect(rows).toHaveLength(1);
    for (const [column, aggregate] of ROLLUP_COUNTS) expect(rows[0]!.source, column).toContain(`(${aggregate}) as ${column}`);
  });

  it('equal a recount after a mix of steps, refusals, cancellations and direct changes', async () => {
    const db = fixture.database.db;
    expect(await mismatches()).toEqual([]);
    expect(await rollupMismatches()).toEqual([]);

    // Real dossiers through the API: one received and carried a step on, one refused, one cancelled by an operator.
    const citizen = await signInDemo(fixture.api, '001099054321');
    const desk = await signInDemo(fixture.api, 'motcua.xa');
    const staff = await signInDemo(fixture.api, 'kiemsoat');
    const received = await submitBirthDossier(fixture.api, citizen);
    const refused = await submitBirthDossier(fixture.api, citizen);
    const cancelled = await submitBirthDossier(fixture.api, citizen);
    const waitFor = async (done: () => Promise<boolean>) => {
      for (let i = 0; i < 300 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    const waitForReceipt = (instanceId: string) => waitFor(async () => Boolean(await db('user_tasks').where({ instance_id: instanceId, element_id: 'Task_tiep_nhan', status: 'open' }).first()));
    await waitForReceipt(received.instanceId);
    await waitForReceipt(refused.instanceId);
    const receive = await callAs(fixture.api, desk, 'POST', `/api/dossiers/${received.id}/receive`);
    const refuse = await callAs(fixture.api, desk, 'POST', `/api/dossiers/${refused.id}/refuse`, { reasons: ['Không thuộc thẩm quyền'] });
    const cancel = await callAs(fixture.api, staff, 'POST', `/api/monitoring/instances/${cancelled.instanceId}/cancel`, { reason: 'Nộp trùng hồ sơ' });
    for (const answer of [receive, refuse, cancel]) expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    // The received dossier's next steps (its number, the verification) are the job runner's and the engine's.
    await waitFor(async () => Boolean(await db('user_tasks').where({ instance_id: received.instanceId, element_id: 'Task_xac_minh', status: 'open' }).first()));
    expect(await mismatches()).toEqual([]);
    expect(await rollupMismatches()).toEqual([]);

    // Direct changes to every table the facts read.
    const five = fx.dossiers[5]!.id;
    const four = fx.dossiers[4]!.id;
    const instanceOf = async (id: string) => (await db('dossiers').where({ id }).first<{ instance_id: string }>('instance_id')).instance_id;
    await db('user_tasks').where({ instance_id: await instanceOf(five) }).update({ status: 'completed', ended_at: '2026-03-09T10:00:00+07:00' });
    await db('notices').where({ dossier_id: fx.dossiers[1]!.id, kind: 'result' }).delete();
    await db('notices').insert({ account_id: (await db('accounts').where({ username: '001099054321' }).first<{ id: string }>('id')).id, dossier_id: four, kind: 'refusal', subject: '{}', body: '{}' });
    await db('payment_transactions').where({ dossier_id: fx.dossiers[2]!.id }).update({ status: 'transaction-succeeded' });
    await db('dossiers').where({ id: five }).update({ ended_at: '2026-03-10T10:00:00+07:00', status: 'completed' });
    await db('dossier_ratings').insert({ dossier_id: five, account_id: (await db('accounts').where({ username: '001099054321' }).first<{ id: string }>('id')).id, score: 4 });
    await db('digitizations').where({ dossier_id: fx.dossiers[6]!.id }).update({ status: 'confirmed' });
    const [result] = await db('dossier_results').insert({ dossier_id: five, n: 1, code: 'IND-0005-KQ1', title: 'Kết quả', issued_at: new Date(), issued_by: 'test' }).returning<Array<{ id: string }>>('id');
    await db('result_documents').insert({ result_id: result!.id, state: 'issued', pdf: Buffer.from('%PDF-1.4\n%%EOF\n'), signed_at: new Date(), signer_agency_code: 'DEMO.01.H01', lookup_base_url: 'http://localhost' });
    // A step moved to another dossier's instance, then one deleted: both dossiers' facts follow.
    const [late] = await db('user_tasks').insert({ instance_id: await instanceOf(four), element_id: 'Task_xu_ly', status: 'open', due_at: '2026-03-06T17:00:00+07:00' }).returning<Array<{ id: string }>>('id');
    await db('user_tasks').where({ id: late!.id }).update({ instance_id: await instanceOf(fx.dossiers[6]!.id), status: 'completed', ended_at: '2026-03-20T10:00:00+07:00' });
    await db('user_tasks').where({ instance_id: await instanceOf(fx.dossiers[2]!.id) }).delete();
    expect(await mismatches()).toEqual([]);
    expect(await rollupMismatches()).toEqual([]);

    // And each stored fact took more than one value across the dossiers, so the comparison compared
    // something; but the online submission, true of every dossier the portal receives (docs/indicators.md).
    const varied = names.filter((name) => name !== 'submitted_by_account');
    const { rows } = await db.raw<{ rows: Array<Record<string, number>> }>(`select ${varied.map((name) => `count(distinct ${name})::int as ${name}`).join(', ')} from dossier_indicator_facts`);
    for (const name of varied) expect(rows[0]![name], name).toBeGreaterThan(1);
    // And the rollup held ended dossiers on more than one day, so its comparison compared something.
    expect(Number((await db('dossier_indicator_days').where('received', '>', 0).count<Array<{ count: string }>>('* as count'))[0]!.count)).toBeGreaterThan(1);
  });
});
