import ExcelJS from 'exceljs';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../server/identity/demo.ts';
import { halfYear, halfYearOf } from '../../server/indicators/period.ts';
import { indicatorsStatement } from '../../server/indicators/report.ts';
import { useApiOverTestDatabase, type ApiServer } from '../support/api-server.ts';
import { signInDemo } from '../support/birth-dossier.ts';
import { callAs, tokenFor, type Credentials } from '../support/identities.ts';
import { seedIndicatorFixture, type IndicatorFixture } from '../support/indicator-fixture.ts';

/**
 * Issue 14, indicators (docs/indicators.md): each Decision 766 indicator over the small fixture of
 * test/support/indicator-fixture.ts against a count by hand, the workbook read back, the
 * half-yearly report's period, who is refused, the applicant's rating and its bad input, and the
 * plan of the statement over a large table (EXPLAIN: indexes, no scan of the big tables).
 */
const fixture = useApiOverTestDatabase();
let fx: IndicatorFixture;
type Session = { cookie: string; csrf: string };
let staff: Session;
let analyst: Session;
let leaderTinh: Session;
let specialistXa: Session;
let citizen: Session;
let otherCitizen: Session;

/**
 * The hand count for March 2026, every agency (the fixture's table): 8 dossiers received (1–7, 9);
 * ended 1, 2, 3, 6, 9; in progress 4, 5, 7.
 */
const MARCH_TOTAL = {
  received: 8,
  figures: {
    'transparency.receipt-notified': { numerator: 7, denominator: 8, value: 87.5 }, // all but 7
    'transparency.outcome-notified': { numerator: 4, denominator: 5, value: 80 }, // 9 has no result notice
    'progress.receipt-on-time': { numerator: 5, denominator: 6, value: 83.3 }, // decided: 1, 2 (late), 3, 5, 6, 9
    'progress.settled-on-time': { numerator: 4, denominator: 5, value: 80 }, // 2's step finished late
    'progress.in-progress-on-time': { numerator: 1, denominator: 3, value: 33.3 }, // 5 has a late step, 7 a late receipt
    'online-service.online-submission': { numerator: 8, denominator: 8, value: 100 },
    'online-service.online-payment': { numerator: 1, denominator: 3, value: 33.3 }, // 1 paid; 2 failed, 5 unpaid
    'satisfaction.rated': { numerator: 4, denominator: 5, value: 80 }, // 3 not rated
    'satisfaction.satisfied': { numerator: 2, denominator: 4, value: 50 }, // 5 and 4 of 5, 3, 4, 2
    'satisfaction.average-score': { numerator: 14, denominator: 4, value: 3.5 },
    'digitization.dossiers-digitized': { numerator: 1, denominator: 8, value: 12.5 }, // 6's is not confirmed
    'digitization.results-digitized': { numerator: 3, denominator: 4, value: 75 }, // 2's result unsigned
  },
};

const BULK = 30_000;
/** Dossiers of 2025 (one every 15 minutes from 1 January): a receipt notice, a step, every 3rd rated, every 4th a signed result, every 5th a payment. */
async function seedBulk(): Promise<void> {
  const db = fixture.database.db;
  const definition = await db('process_definitions').where({ key: fx.procedures.p1.key }).first<{ id: string }>('id');
  const owner = await db('accounts').where({ username: '001099012345' }).first<{ id: string }>('id');
  await db.raw(
    `with instances as (
       insert into process_instances (definition_id, business_key, status, snapshot, started_at)
       select ?, 'BULK-' || g, 'active', '{}'::jsonb, timestamptz '2025-01-01 00:00+07' + g * interval '15 minutes' from generate_series(1, ?) g
       returning id, business_key, started_at)
     , inserted as (
       insert into dossiers (instance_id, definition_id, procedure_key, procedure_name, owner_account_id, applicant_name, agency_code, code, status, submitted_at, receipt_due_at, received_at, ended_at)
       select i.id, ?, ?, 'Đăng ký khai sinh', ?, 'Người nộp ' || k.n, case when k.n % 3 = 0 then 'DEMO.02.H01' else 'DEMO.01.H01' end, 'BULK-' || lpad(k.n::text, 6, '0'),
              case when k.n % 2 = 0 then 'completed' else 'processing' end, i.started_at, i.started_at + interval '8 hours', i.started_at + interval '1 hour',
              case when k.n % 2 = 0 then i.started_at + interval '3 days' end
         from instances i, lateral (select substr(i.business_key, 6)::int as n) k
       returning id, instance_id, owner_account_id, submitted_at, code, agency_code)
     , tasks as (
       insert into user_tasks (instance_id, element_id, name, status, created_at, due_at, ended_at)
       select instance_id, 'Task_xu_ly', 'Xử lý', 'completed', submitted_at, submitted_at + interval '2 days', submitted_at + interval '1 day' from inserted)
     , notices_in as (
       insert into notices (account_id, dossier_id, kind, subject, body, created_at)
       select owner_account_id, id, 'receipt', '{}'::jsonb, '{}'::jsonb, submitted_at from inserted)
     , ratings as (
       insert into dossier_ratings (dossier_id, account_id, score, rated_at)
       select id, owner_account_id, 1 + substr(code, 6)::int % 5, submitted_at from inserted where substr(code, 6)::int % 3 = 0)
     , payments as (
       insert into payment_transactions (dossier_id, code, kind, content, revenue_identifier, collecting_agency_code, collecting_agency_name, procedure_code, amount_vnd, payer_name, citad_code, account_number, account_name, status, provider)
       select id, 'G22.99.2-250101' || lpad(substr(code, 6), 6, '0'), 2, 'x', code, agency_code, agency_code, '1.001193', 8000, 'Người nộp', '01701001', '3511.0.1234567', 'Thu phí', 'transaction-succeeded', 'sandbox'
         from inserted where substr(code, 6)::int % 5 = 0)
     , results as (
       insert into dossier_results (dossier_id, n, code, title, issued_at, issued_by)
       select id, 1, code || '-KQ1', 'Giấy khai sinh', submitted_at, 'test' from inserted where substr(code, 6)::int % 4 = 0
       returning id, issued_at)
     insert into result_documents (result_id, state, pdf, signed_at, signer_agency_code, lookup_base_url)
     select id, 'issued', '\\x00'::bytea, issued_at, 'DEMO.01.H01', 'http://localhost' from results`,
    [definition.id, BULK, definition.id, fx.procedures.p1.key, owner.id],
  );
  await db.raw('vacuum analyze dossiers, notices, user_tasks, dossier_ratings, payment_transactions, dossier_results, result_documents, digitizations, process_instances');
}

beforeAll(async () => {
  const db = fixture.database.db;
  await createDemoData(db, pino({ level: 'silent' }));
  fx = await seedIndicatorFixture(db);
  [staff, analyst, leaderTinh, specialistXa, citizen, otherCitizen] = (await Promise.all(
    ['kiemsoat', 'phantich', 'lanhdao.tinh', 'chuyenvien.xa', '001099054321', '001099012345'].map((username) => signInDemo(fixture.api, username)),
  )) as [Session, Session, Session, Session, Session, Session];
  await seedBulk();
}, 180_000);

const get = (who: Credentials, query: string) => callAs(fixture.api, who, 'GET', `/api/indicators?${query}`);

/** A workbook downloaded as `who` and opened with exceljs. */
async function workbookAt(api: ApiServer, who: { cookie: string }, path: string): Promise<ExcelJS.Workbook> {
  const response = await fetch(`${api.url}${path}`, { headers: { cookie: who.cookie } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
  return workbook;
}

describe('Decision 766 indicators over the fixture (issue 14)', () => {
  it('counts every indicator as by hand, in total and per agency and procedure', async () => {
    const report = await get(staff, 'from=2026-03-01&to=2026-03-31');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.period).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(report.body.total).toEqual(MARCH_TOTAL);
    const rows = report.body.rows as Array<{ agency: { code: string }; procedure: { key: string }; received: number; figures: Record<string, { numerator: number; denominator: number; value: number | null }> }>;
    expect(rows.map((row) => `${row.agency.code} ${row.procedure.key} ${row.received}`).sort()).toEqual(
      [`DEMO.01.H01 ${fx.procedures.p1.key} 5`, `DEMO.01.H01 ${fx.procedures.p2.key} 2`, `DEMO.02.H01 ${fx.procedures.p1.key} 1`].sort(),
    );
    const xaP2 = rows.find((row) => row.procedure.key === fx.procedures.p2.key)!;
    // Dossiers 6 and 7: 7 sent no receipt notice; 6 settled on time with two signed results; 7's receipt is late.
    expect(xaP2.figures['transparency.receipt-notified']).toEqual({ numerator: 1, denominator: 2, value: 50 });
    expect(xaP2.figures['digitization.results-digitized']).toEqual({ numerator: 2, denominator: 2, value: 100 });
    expect(xaP2.figures['progress.in-progress-on-time']).toEqual({ numerator: 0, denominator: 1, value: 0 });
    // Nothing to count is no figure, not 0 %: no payment was asked on 6 or 7.
    expect(xaP2.figures['online-service.online-payment']).toEqual({ numerator: 0, denominator: 0, value: null });
    // The Vietnam day: 7 (31 March 23:30) is in March, 8 (1 April 00:10) and 10 (28 February 23:50) are not.
    expect((await get(staff, 'from=2026-03-31&to=2026-03-31')).body.total.received).toBe(1);
    expect((await get(staff, 'from=2026-04-01&to=2026-04-01')).body.total.received).toBe(1);
  });

  it('filters by agency and procedure', async () => {
    const xa = await get(staff, `from=2026-03-01&to=2026-03-31&agency=DEMO.01.H01&procedure=${fx.procedures.p1.key}`);
    expect(xa.body.total.received).toBe(5);
    // Dossiers 1–5: ended 1, 2, 3; rated 1 (5) and 2 (3).
    expect(xa.body.total.figures['satisfaction.average-score']).toEqual({ numerator: 8, denominator: 2, value: 4 });
    expect(xa.body.total.figures['progress.settled-on-time']).toEqual({ numerator: 2, denominator: 3, value: 66.7 });
    expect(xa.body.rows).toHaveLength(1);
  });

  it('shows an official their own agency only, whatever their function; staff and analysts every agency', async () => {
    const tinh = await get(leaderTinh, 'from=2026-03-01&to=2026-03-31');
    expect(tinh.status).toBe(200);
    expect(tinh.body.total.received).toBe(1);
    expect(tinh.body.rows.map((row: { agency: { code: string } }) => row.agency.code)).toEqual(['DEMO.02.H01']);
    expect((await get(specialistXa, 'from=2026-03-01&to=2026-03-31')).body.total.received).toBe(7);
    expect((await get(analyst, 'from=2026-03-01&to=2026-03-31')).body.total.received).toBe(8);
    const other = await get(leaderTinh, 'from=2026-03-01&to=2026-03-31&agency=DEMO.01.H01');
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('indicators.other-agency');
  });

  it('refuses citizens, machine tokens and anonymous callers on every indicator route', async () => {
    const worker = await tokenFor(fixture.database.db, 'worker');
    for (const path of ['/api/indicators', '/api/indicators.xlsx', '/api/indicators/half-yearly.xlsx?year=2026&half=1']) {
      expect((await callAs(fixture.api, citizen, 'GET', path)).status, path).toBe(403);
      expect((await callAs(fixture.api, worker, 'GET', path)).status, path).toBe(403);
      expect((await callAs(fixture.api, null, 'GET', path)).status, path).toBe(401);
    }
  });

  it('names the field of a bad query, in both languages', async () => {
    for (const [query, field] of [['from=2026-02-30', 'query.from'], ['from=2026-03-02&to=2026-03-01', 'query.to'], ['language=fr', 'query.language']] as const) {
      const response = await get(staff, query);
      expect(response.status, query).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(response.body.title).toMatch(/không hợp lệ/);
    }
    for (const [query, field] of [['year=2026&half=3', 'query.half'], ['year=abc&half=1', 'query.year'], ['half=1', 'query.year']] as const) {
      const response = await callAs(fixture.api, staff, 'GET', `/api/indicators/half-yearly.xlsx?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });

  it('exports the same figures as .xlsx, read back', async () => {
    const workbook = await workbookAt(fixture.api, staff, '/api/indicators.xlsx?from=2026-03-01&to=2026-03-31');
    const sheet = workbook.getWorksheet('Chỉ số')!;
    const names: string[] = [];
    let totalRow: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') totalRow = row;
      if (row.getCell(4).value === 'Hồ sơ được gửi thông báo tiếp nhận') row.eachCell((cell, column) => column >= 4 && names.push(cell.text));
    });
    expect(totalRow).toBeDefined();
    expect(totalRow!.getCell(3).value).toBe(8);
    const ids = Object.keys(MARCH_TOTAL.figures);
    expect(names).toHaveLength(ids.length);
    const report = (await get(staff, 'from=2026-03-01&to=2026-03-31')).body;
    const order = (report.groups as Array<{ indicators: Array<{ id: string }> }>).flatMap((group) => group.indicators.map((indicator) => indicator.id));
    order.forEach((id, i) => {
      const figure = MARCH_TOTAL.figures[id as keyof typeof MARCH_TOTAL.figures];
      const cell = totalRow!.getCell(4 + i);
      // A percent is stored as its fraction and shown as one (0.0 %): 7/8 is 0.875, shown 87,5 % in Vietnamese Excel.
      if (id === 'satisfaction.average-score') expect(cell.value).toBe(3.5);
      else {
        expect(cell.value as number).toBeCloseTo(figure.numerator / figure.denominator, 10);
        expect(cell.numFmt).toBe('0.0 %');
      }
    });
    const formulas = workbook.getWorksheet('Công thức')!;
    expect(formulas.rowCount).toBe(1 + ids.length);
    expect(formulas.getRow(2).getCell(6).text).toMatch(/Decree 45 Art\. 11/);
  });

  it('makes the half-yearly report of Decree 45 Art. 26.9 / 27.8 from the same figures, over its period', async () => {
    expect(halfYear(2026, 1)).toEqual({ from: '2025-12-15', to: '2026-06-14', due: '2026-06-15' });
    expect(halfYear(2026, 2)).toEqual({ from: '2026-06-15', to: '2026-12-14', due: '2026-12-15' });
    expect(halfYearOf('2025-12-15')).toEqual({ year: 2026, half: 1 });
    expect(halfYearOf('2026-06-14')).toEqual({ year: 2026, half: 1 });
    expect(halfYearOf('2026-06-15')).toEqual({ year: 2026, half: 2 });
    const workbook = await workbookAt(fixture.api, staff, '/api/indicators/half-yearly.xlsx?year=2026&half=1');
    const sheet = workbook.getWorksheet('Chỉ số')!;
    expect(sheet.getRow(1).getCell(1).text).toBe('Báo cáo 6 tháng đầu năm 2026 về tình hình, kết quả thực hiện Nghị định 45/2020/NĐ-CP');
    expect(sheet.getRow(2).getCell(1).text).toContain('trước ngày 15/06/2026');
    expect(sheet.getRow(3).getCell(1).text).toBe('Kỳ: 15/12/2025 – 14/06/2026');
    let received: unknown;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') received = row.getCell(3).value;
    });
    // Every fixture dossier (1–10) falls in 15 December 2025 – 14 June 2026; the bulk is of 2025 before it.
    expect(received).toBe(10);
    // An official's half-yearly report is their agency's.
    const tinh = await workbookAt(fixture.api, leaderTinh, '/api/indicators/half-yearly.xlsx?year=2026&half=1');
    tinh.getWorksheet('Chỉ số')!.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') expect(row.getCell(3).value).toBe(1);
    });
    expect((await callAs(fixture.api, leaderTinh, 'GET', '/api/indicators/half-yearly.xlsx?year=2026&half=1&agency=DEMO.01.H01')).status).toBe(403);
  });

  it('plans the statement over indexes on a large table (EXPLAIN, 30,000 dossiers of 2025)', async () => {
    const db = fixture.database.db;
    const cases: Array<[string, { from: string; to: string }, { agency?: string; procedure?: string }, boolean]> = [
      ['a week, every agency', { from: '2025-03-01', to: '2025-03-07' }, {}, true],
      ['a month of one agency', { from: '2025-03-01', to: '2025-03-31' }, { agency: 'DEMO.02.H01' }, true],
      ['a month of one agency and procedure', { from: '2025-03-01', to: '2025-03-31' }, { agency: 'DEMO.01.H01', procedure: fx.procedures.p1.key }, true],
      ['an official, a month', { from: '2025-03-01', to: '2025-03-31' }, {}, false],
    ];
    for (const [name, period, filter, all] of cases) {
      const scope = all ? { all: true as const } : { all: false as const, agencies: ['DEMO.02.H01'] };
      const { sql, bindings } = indicatorsStatement(scope, filter, period, new Date('2026-12-06T00:00:00Z'));
      const { rows } = await db.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(`explain ${sql}`, bindings as never);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan, `${name}\n${plan}`).toMatch(/Index (Only )?Scan using (dossiers_\w+) on dossiers d|Bitmap Index Scan on dossiers_\w+/);
      expect(plan, `${name}\n${plan}`).not.toMatch(/Seq Scan on (dossiers|dossier_indicator_facts|notices|user_tasks|dossier_ratings|dossier_results|payment_transactions|result_documents)\b/);
      // Each dossier's stored facts by its key (migration 0040), not a dozen look-ups in the tables they come from.
      expect(plan, `${name}\n${plan}`).toMatch(/dossier_indicator_facts_pkey/);
    }
  });
});

describe("the applicant's rating (satisfaction, Decision 766)", () => {
  const rate = (who: Credentials, n: number, body: unknown) => callAs(fixture.api, who, 'POST', `/api/dossiers/${fx.dossiers[n]!.id}/rating`, body);
  const stored = async (n: number) => fixture.database.db('dossier_ratings').where({ dossier_id: fx.dossiers[n]!.id }).first();

  it('refuses bad input naming the field, storing nothing', async () => {
    for (const [body, field] of [[{ score: 6 }, 'body.score'], [{ score: 0 }, 'body.score'], [{ score: 4.5 }, 'body.score'], [{ score: '5' }, 'body.score'], [{}, 'body.score'], [{ score: 5, comment: 'x'.repeat(1001) }, 'body.comment'], [{ score: 5, extra: 1 }, 'body']] as const) {
      const response = await rate(citizen, 3, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field).join(' '), JSON.stringify(body)).toContain(field);
    }
    expect(await stored(3)).toBeUndefined();
  });

  it('refuses a dossier not ended (422), another citizen (404), officials and anonymous callers', async () => {
    const open = await rate(citizen, 4, { score: 5 });
    expect(open.status).toBe(422);
    expect(open.body.code).toBe('rating.not-completed');
    expect(open.body.title).toMatch(/đã giải quyết xong/);
    expect((await rate(otherCitizen, 3, { score: 5 })).status).toBe(404);
    expect((await rate(staff, 3, { score: 5 })).status).toBe(403);
    expect((await rate(null, 3, { score: 5 })).status).toBe(401);
    expect(await stored(3)).toBeUndefined();
    expect(await stored(4)).toBeUndefined();
  });

  it('takes one rating of an ended dossier from its owner, then answers 409; the view and the figures show it', async () => {
    const first = await rate(citizen, 3, { score: 4, comment: '  Cán bộ hướng dẫn rõ ràng  ' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ score: 4, comment: 'Cán bộ hướng dẫn rõ ràng' });
    const second = await rate(citizen, 3, { score: 1 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('rating.already-rated');
    expect(await stored(3)).toMatchObject({ score: 4 });
    expect((await callAs(fixture.api, citizen, 'GET', `/api/dossiers/${fx.dossiers[3]!.id}`)).body.rating).toMatchObject({ score: 4, comment: 'Cán bộ hướng dẫn rõ ràng' });
    const after = (await get(staff, 'from=2026-03-01&to=2026-03-31')).body.total.figures;
    expect(after['satisfaction.rated']).toEqual({ numerator: 5, denominator: 5, value: 100 });
    expect(after['satisfaction.average-score']).toEqual({ numerator: 18, denominator: 5, value: 3.6 });
  });
});
