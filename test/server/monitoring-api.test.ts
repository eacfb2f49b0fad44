import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { useApiOverTestDatabase, useJobRunner } from '../support/api-server.ts';
import { BIRTH_PROCEDURE, signInDemo, submitBirthDossier } from '../support/birth-dossier.ts';
import { callAs, type Credentials } from '../support/identities.ts';

/**
 * Issue 14, monitoring, over the HTTP API (docs/monitoring.md): the search's filters and keyset
 * paging over a seeded table, the plans PostgreSQL picks for it (the indexes of migration 0027),
 * the instance view of a real dossier, cancellation, the procedure heat map, who is refused.
 */
const fixture = useApiOverTestDatabase();
useJobRunner(fixture);

const SEEDED = 30_000;
/** The statuses seeded in turn; one dossier in 101 is refused, one in 53 is the province's: rare, as they are. */
const STATUSES = ['submitted', 'received', 'amendment-requested', 'processing', 'result-issued', 'completed'];
const statusOf = (n: number) => (n % 101 === 0 ? 'refused' : STATUSES[n % 6]!);
const PROVINCE_EVERY = 53;

let staff: Credentials;
let leaderXa: Credentials;
let specialistXa: Credentials;
let citizen: Credentials;
let real: { id: string; code: string; instanceId: string };

/**
 * Dossiers and their instances written straight into the tables (the engine's API would take
 * minutes for this many): one a minute from 1 January 2026, Vietnam time; every 53rd of the
 * province's agency, the status cycling (every 101st refused), every 10th instance completed, the applicants named from
 * a short list; at Task_tiep_nhan with a task due two hours after it opened.
 */
async function seed(): Promise<void> {
  const db = fixture.database.db;
  const definition = await db('process_definitions').where({ key: BIRTH_PROCEDURE }).first<{ id: string; name: string }>('id', 'name');
  const owner = await db('accounts').where({ username: '001099012345' }).first<{ id: string }>('id');
  await db.raw(
    `with seeded as (
       insert into process_instances (definition_id, business_key, status, snapshot, active_element_ids, started_at, ended_at)
       select ?, 'BK-' || g, case when g % 10 = 0 then 'completed' else 'active' end, '{}'::jsonb,
              case when g % 10 = 0 then '{}'::text[] else array['Task_tiep_nhan'] end,
              timestamptz '2026-01-01 00:00+07' + g * interval '1 minute',
              case when g % 10 = 0 then timestamptz '2026-01-01 00:00+07' + g * interval '1 minute' + interval '1 day' end
         from generate_series(1, ?) as g
       returning id, business_key, started_at, status)
     , dossiers_in as (
       insert into dossiers (instance_id, definition_id, procedure_key, procedure_code, procedure_name, owner_account_id, applicant_name, applicant_id, agency_code, code, status, submitted_at, receipt_due_at)
       select s.id, ?, ?, '1.001193', ?, ?,
              (array['Nguyễn Văn Hùng', 'Lê Thị Mai', 'Phạm Quốc Bảo', 'Hoàng Thu Trang'])[n % 4 + 1] || ' ' || n,
              lpad(n::text, 12, '0'),
              case when n % 53 = 0 then 'DEMO.02.H01' else 'DEMO.01.H01' end,
              'SEED-' || lpad(n::text, 6, '0'),
              case when n % 101 = 0 then 'refused' else (?::text[])[n % 6 + 1] end, s.started_at, s.started_at + interval '8 hours'
         from seeded s, lateral (select substr(s.business_key, 4)::int as n) as k
       returning instance_id)
     insert into user_tasks (instance_id, element_id, name, candidate_group, status, created_at, due_at)
     select s.id, 'Task_tiep_nhan', 'Tiếp nhận', 'DEMO.01.H01', 'open', s.started_at, s.started_at + interval '2 hours'
       from seeded s where s.status = 'active'`,
    [definition.id, SEEDED, definition.id, BIRTH_PROCEDURE, definition.name, owner.id, STATUSES],
  );
  // As autovacuum would have by then: statistics, and the trigram index's pending entries merged into it.
  await db.raw('vacuum analyze process_instances, dossiers, user_tasks, process_definitions');
}

beforeAll(async () => {
  await createDemoData(fixture.database.db, pino({ level: 'silent' }));
  [staff, leaderXa, specialistXa, citizen] = await Promise.all([signInDemo(fixture.api, 'kiemsoat'), signInDemo(fixture.api, 'lanhdao.xa'), signInDemo(fixture.api, 'chuyenvien.xa'), signInDemo(fixture.api, '001099054321')]);
  real = await submitBirthDossier(fixture.api, citizen);
  await seed();
}, 120_000);

const search = (who: Credentials, query: string) => callAs(fixture.api, who, 'GET', `/api/monitoring/search?${query}`);
type Item = { instanceId: string; instanceStatus: string; businessKey: string | null; dossier: { code: string; status: string; agencyCode: string; applicantName: string; submittedAt: string } | null };

/** Every page of a search, following `next`. */
async function allPages(who: Credentials, query: string, between?: () => Promise<void>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await search(who, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    items.push(...(page.body.items as Item[]));
    cursor = page.body.next as string | null;
    if (between) await between();
  } while (cursor);
  return items;
}

describe('the monitoring search (issue 14)', () => {
  it('finds the real dossier by its code, its business key, its applicant', async () => {
    const byCode = await search(staff, `code=${real.code}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body.total).toBe(1);
    expect(byCode.body.items[0]).toMatchObject({ instanceId: real.instanceId, instanceStatus: 'active', procedure: { key: BIRTH_PROCEDURE }, dossier: { code: real.code, status: 'submitted', agencyCode: 'DEMO.01.H01', applicantName: expect.stringContaining('Trần Thị Bình') } });
    expect((await search(staff, 'applicant=th%E1%BB%8B%20b%C3%ACnh')).body.items.map((item: Item) => item.dossier?.code)).toEqual([real.code]);
    expect((await search(staff, 'applicant=001099054321')).body.items.map((item: Item) => item.dossier?.code)).toEqual([real.code]);
    expect((await search(staff, 'businessKey=BK-77')).body.items.map((item: Item) => item.dossier?.code)).toEqual(['SEED-000077']);
  });

  it('combines filters exactly as counted by hand', async () => {
    const province = await search(staff, 'agency=DEMO.02.H01&limit=5');
    expect(province.body.total).toBe(Math.floor(SEEDED / PROVINCE_EVERY));
    expect((province.body.items as Item[]).map((item) => item.dossier!.code)).toEqual([0, 1, 2, 3, 4].map((i) => `SEED-${String((Math.floor(SEEDED / PROVINCE_EVERY) - i) * PROVINCE_EVERY).padStart(6, '0')}`));
    // Received on 2 January 2026, Vietnam time: minutes 1441–2880 of the series.
    const day = await search(staff, 'status=received&from=2026-01-02&to=2026-01-02&limit=500');
    const expected = Array.from({ length: 1440 }, (_, i) => 1441 + i).filter((n) => statusOf(n) === 'received');
    expect(day.body.total).toBe(expected.length);
    expect((day.body.items as Item[]).map((item) => item.dossier!.code)).toEqual(expected.reverse().map((n) => `SEED-${String(n).padStart(6, '0')}`));
    // Instances: the completed ones are every 10th.
    expect((await search(staff, `procedure=${BIRTH_PROCEDURE}&instanceStatus=completed&limit=1`)).body.total).toBe(SEEDED / 10);
    // Over dossiers the procedure is the dossier's.
    expect((await search(staff, `procedure=${BIRTH_PROCEDURE}&agency=DEMO.01.H01&limit=1`)).body.total).toBe(SEEDED - Math.floor(SEEDED / PROVINCE_EVERY) + 1);
    expect((await search(staff, 'status=refused&limit=1')).body.total).toBe(Math.floor(SEEDED / 101));
  });

  it('pages without repeating or skipping a row while dossiers arrive', async () => {
    const query = 'applicant=Mai&from=2026-01-03&to=2026-01-03&limit=37';
    const before = await allPages(staff, query.replace('limit=37', 'limit=500'));
    expect(before.length).toBe(360);
    let added = 0;
    // A dossier lands between every two pages, received in the middle of the same day.
    const arrive = async () => {
      added += 1;
      await fixture.database.db.raw(
        `with i as (insert into process_instances (definition_id, business_key, status, snapshot, started_at)
                    select definition_id, 'BK-new-' || ?, 'active', '{}', now() from process_instances where business_key = 'BK-1' returning id, definition_id)
         insert into dossiers (instance_id, definition_id, procedure_key, procedure_name, owner_account_id, applicant_name, agency_code, code, status, submitted_at, receipt_due_at)
         select i.id, i.definition_id, procedure_key, procedure_name, owner_account_id, 'Lê Thị Mai mới ' || ?, agency_code, 'NEW-' || ?, 'submitted', timestamptz '2026-01-03 12:00:00.123456+07', now() from i, dossiers where code = 'SEED-000001'`,
        [added, added, added],
      );
    };
    const paged = await allPages(staff, query, arrive);
    const codes = paged.map((item) => item.dossier!.code);
    expect(new Set(codes).size).toBe(codes.length);
    // Every dossier there before is there once; newcomers may appear only after the cut they fall behind.
    expect(codes.filter((code) => code.startsWith('SEED-'))).toEqual(before.map((item) => item.dossier!.code));
    const times = paged.map((item) => Date.parse(item.dossier!.submittedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers bad input with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['status=lost', 'query.status'],
      ['instanceStatus=paused', 'query.instanceStatus'],
      ['from=2026-13-01', 'query.from'],
      ['from=06/12/2026', 'query.from'],
      ['from=2026-02-01&to=2026-01-01', 'query.to'],
      ['limit=0', 'query.limit'],
      ['limit=501', 'query.limit'],
      ['applicant=a', 'query.applicant'],
      ['cursor=not-a-cursor', 'query.cursor'],
    ];
    for (const [query, field] of cases) {
      const response = await search(staff, query);
      expect(response.status, query).toBe(400);
      expect(response.type).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field), query).toContain(field);
    }
    // A cursor of the instance order is refused by the dossier order.
    const instancesPage = await search(staff, 'limit=1');
    expect(instancesPage.body.next).toBeTruthy();
    const mixed = await search(staff, `status=received&cursor=${instancesPage.body.next}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0].field).toBe('query.cursor');
  });

  it('plans every filter as a range scan of its index (EXPLAIN, 30,000 rows)', async () => {
    const db = fixture.database.db;
    const plans: Array<[string, RegExp]> = [
      ['limit=50', /process_instances_list\b/],
      ['status=refused', /dossiers_monitor_by_status/],
      ['status=refused&from=2026-01-05&to=2026-01-09', /dossiers_monitor_by_status/],
      ['agency=DEMO.02.H01', /dossiers_(agency_list|monitor_by_agency_status)/],
      [`code=SEED-000123`, /dossiers_code_unique/],
      ['applicant=Qu%E1%BB%91c%20B%E1%BA%A3o%2012346', /dossiers_monitor_applicant_name/],
      ['applicant=000000000123', /dossiers_monitor_by_applicant_id/],
      ['businessKey=BK-123', /process_instances_list_by_business_key/],
      ['from=2026-01-05&to=2026-01-06', /dossiers_monitor_list|process_instances_list\b/],
    ];
    for (const [query, index] of plans) {
      const seen: Array<{ sql: string; bindings: unknown[] }> = [];
      const listen = (data: { sql: string; bindings: unknown[] }) => seen.push(data);
      db.on('query', listen);
      expect((await search(staff, query)).status).toBe(200);
      db.off('query', listen);
      // The page's own statement (not its count), as knex sent it ($n placeholders, bound in order).
      const page = seen.find((q) => /limit \$\d+$/.test(q.sql) && q.sql.includes('page_key_0'))!;
      const { rows } = await db.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(`explain ${page.sql.replace(/\$\d+/g, '?')}`, page.bindings as never);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan, `${query}\n${plan}`).toMatch(index);
      // The page never sorts the whole match: the index gives the order (the code and name look-ups match a handful of rows).
      if (!/code=|applicant=/.test(query)) expect(plan, `${query}\n${plan}`).not.toMatch(/Seq Scan on (dossiers|process_instances)/);
    }
  });
});

describe('who may monitor (issue 14, Circular 01 Art. 23.5)', () => {
  it("refuses citizens everywhere and officials who neither lead nor receive", async () => {
    const paths = ['/api/monitoring/search', `/api/monitoring/instances/${real.instanceId}`, `/api/monitoring/instances/${real.instanceId}/history`, `/api/monitoring/procedures/${BIRTH_PROCEDURE}`];
    for (const path of paths) {
      expect((await callAs(fixture.api, citizen, 'GET', path)).status, path).toBe(403);
      expect((await callAs(fixture.api, null, 'GET', path)).status, path).toBe(401);
      const specialist = await callAs(fixture.api, specialistXa, 'GET', path);
      expect(specialist.status, path).toBe(403);
      expect(specialist.body.code).toBe('monitoring.not-a-leader');
    }
    expect((await callAs(fixture.api, citizen, 'POST', `/api/monitoring/instances/${real.instanceId}/cancel`, { reason: 'Tôi muốn huỷ' })).status).toBe(403);
    expect((await callAs(fixture.api, leaderXa, 'POST', `/api/monitoring/instances/${real.instanceId}/cancel`, { reason: 'Lãnh đạo muốn huỷ' })).status).toBe(403);
  });

  it("shows a leader their agency's dossiers only, and no variables", async () => {
    const all = await search(leaderXa, 'limit=500');
    expect(all.status).toBe(200);
    const commune = await fixture.database.db('dossiers').where({ agency_code: 'DEMO.01.H01' }).count<Array<{ count: string }>>('* as count');
    expect(all.body.total).toBe(Number(commune[0]!.count));
    expect(new Set((all.body.items as Item[]).map((item) => item.dossier!.agencyCode))).toEqual(new Set(['DEMO.01.H01']));
    // The province's dossier is not theirs: as if it did not exist.
    expect((await search(leaderXa, 'agency=DEMO.02.H01')).body.total).toBe(0);
    const provinceInstance = (await search(staff, 'agency=DEMO.02.H01&limit=1')).body.items[0].instanceId as string;
    const hidden = await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/instances/${provinceInstance}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe((await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/instances/${randomUUID()}`)).body.code);
    expect((await callAs(fixture.api, await signInDemo(fixture.api, 'lanhdao.tinh'), 'GET', `/api/monitoring/instances/${real.instanceId}`)).status).toBe(404);
    const own = await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/instances/${real.instanceId}`);
    expect(own.status).toBe(200);
    expect(own.body).not.toHaveProperty('variables');
    const history = await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/instances/${real.instanceId}/history`);
    expect(history.body.items.length).toBeGreaterThan(0);
    for (const step of history.body.items) expect(step).not.toHaveProperty('variablesChanged');
    const staffHistory = await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${real.instanceId}/history`);
    expect(staffHistory.body.items[0]).toHaveProperty('variablesChanged');
  });
});

describe('the instance view, the heat map and cancellation (issue 14)', () => {
  it('shows where the real dossier stands, the path it took and how often each element was entered', async () => {
    await expect.poll(async () => (await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${real.instanceId}`)).body.activeElementIds, { timeout: 20_000 }).toEqual(['Task_tiep_nhan']);
    const view = await callAs(fixture.api, staff, 'GET', `/api/monitoring/instances/${real.instanceId}`);
    expect(view.body).toMatchObject({ status: 'active', procedure: { key: BIRTH_PROCEDURE }, dossier: { code: real.code }, incidents: [] });
    expect(view.body.entered).toMatchObject({ Task_tiep_nhan: 1 });
    expect(view.body.path).toEqual(expect.arrayContaining(['Task_tiep_nhan']));
    expect(view.body.variables).toBeTypeOf('object');
    // The search names the step waiting on people as the model does.
    expect((await search(staff, `code=${real.code}`)).body.items[0].openSteps).toEqual(['Tiếp nhận, kiểm tra hồ sơ điện tử']);
  });

  it('lays the procedure out as a heat map, overdue steps first', async () => {
    const heat = await callAs(fixture.api, staff, 'GET', `/api/monitoring/procedures/${BIRTH_PROCEDURE}`);
    expect(heat.status).toBe(200);
    const first = heat.body.steps[0];
    // Every seeded active dossier waits at the receipt check, overdue since January; the real one joins them.
    expect(first).toMatchObject({ elementId: 'Task_tiep_nhan', dossiers: SEEDED - SEEDED / 10 + 1, overdue: SEEDED - SEEDED / 10 });
    expect(first.averageWaitHours).toBeGreaterThan(24 * 300);
    const leader = await callAs(fixture.api, leaderXa, 'GET', `/api/monitoring/procedures/${BIRTH_PROCEDURE}`);
    const seededXa = Array.from({ length: SEEDED }, (_, i) => i + 1).filter((n) => n % 10 !== 0 && n % PROVINCE_EVERY !== 0).length;
    expect(leader.body.steps[0]).toMatchObject({ elementId: 'Task_tiep_nhan', dossiers: seededXa + 1 });
    expect((await callAs(fixture.api, staff, 'GET', '/api/monitoring/procedures/Process_khong_co')).status).toBe(404);
  });

  it('cancels a running dossier with a reason, recorded; refuses bad and repeated requests', async () => {
    const db = fixture.database.db;
    const path = `/api/monitoring/instances/${real.instanceId}/cancel`;
    for (const body of [{}, { reason: '' }, { reason: 'abc' }, { reason: 7 }, { reason: 'x'.repeat(2001) }]) {
      const refused = await callAs(fixture.api, staff, 'POST', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors[0].field).toBe('body.reason');
    }
    expect((await callAs(fixture.api, staff, 'POST', '/api/monitoring/instances/not-a-uuid/cancel', { reason: 'Nhập sai thủ tục' })).status).toBe(400);
    expect((await callAs(fixture.api, staff, 'POST', `/api/monitoring/instances/${randomUUID()}/cancel`, { reason: 'Nhập sai thủ tục' })).status).toBe(404);
    expect((await db('process_instances').where({ id: real.instanceId }).first()).status).toBe('active');

    const cancelled = await callAs(fixture.api, staff, 'POST', path, { reason: 'Người nộp đề nghị rút hồ sơ' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ id: real.instanceId, status: 'terminated' });
    const instance = await db('process_instances').where({ id: real.instanceId }).first();
    expect(instance).toMatchObject({ status: 'terminated', active_element_ids: [], failure: { cancelled: { reason: 'Người nộp đề nghị rút hồ sơ', by: 'account:kiemsoat' } } });
    expect(await db('user_tasks').where({ instance_id: real.instanceId, status: 'open' })).toEqual([]);
    expect(await db('instance_history').where({ instance_id: real.instanceId, event_type: 'terminate' }).first()).toMatchObject({ actor: 'account:kiemsoat', status_after: 'terminated' });
    const event = await db('dossier_events').where({ dossier_id: real.id, kind: 'cancelled' }).first();
    expect(event).toMatchObject({ actor: 'account:kiemsoat', details: { reason: 'Người nộp đề nghị rút hồ sơ' } });
    await expect.poll(async () => db('audit_log').where({ action: `POST /api/monitoring/instances/${real.instanceId}/cancel`, status: 200 }).pluck('actor'), { timeout: 5000 }).toEqual(['account:kiemsoat']);

    const again = await callAs(fixture.api, staff, 'POST', path, { reason: 'Người nộp đề nghị rút hồ sơ' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('instance.not-active');
  });
});
