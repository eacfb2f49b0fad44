import type { Database } from '../../server/db/connect.ts';
import { BIRTH_PROCEDURE } from './birth-dossier.ts';

/**
 * A small set of dossiers whose indicators are counted by hand in test/server/indicators.test.ts
 * and test/designer/indicators.test.ts (docs/indicators.md). March 2026, Vietnam time; two
 * procedures of the commune (DEMO.01.H01), one dossier of the province (DEMO.02.H01), two just
 * outside the month. Written straight into the tables, as the monitoring test seeds them.
 *
 * | n | agency | procedure | received (VN) | receipt check | status | ended | steps | notices | results | other |
 * |---|---|---|---|---|---|---|---|---|---|---|
 * | 1 | xã | P1 | 02/03 08:00 | received 10:00, due 16:00 | result-issued | 05/03 | due 04/03, done 03/03 | receipt, result | 1 signed | digitized; paid online; rated 5 |
 * | 2 | xã | P1 | 03/03 08:00 | received 04/03 (late) | completed | 10/03 | due 06/03, done 08/03 (late) | receipt, result | 1 unsigned | payment failed; rated 3 |
 * | 3 | xã | P1 | 04/03 08:00 | amendment asked 09:00 | refused | 06/03 | — | receipt, refusal | — | not rated |
 * | 4 | xã | P1 | 05/03 08:00 | pending, due 2099 | submitted | — | — | receipt | — | |
 * | 5 | xã | P1 | 06/03 08:00 | received 09:00 | processing | — | open, due 07/03 (late) | receipt | — | payment requested, unpaid |
 * | 6 | xã | P2 | 10/03 08:00 | received 09:00 | result-issued | 12/03 | due 12/03, done 11/03 | receipt, result | 2 signed | digitization unconfirmed; rated 4 |
 * | 7 | xã | P2 | 31/03 23:30 | pending, due 01/04 (late) | submitted | — | — | none | — | |
 * | 8 | xã | P1 | 01/04 00:10 | — | submitted | — | — | receipt | — | outside March |
 * | 9 | tỉnh | P1 | 15/03 08:00 | received 09:00 | completed | 20/03 | — | receipt | — | rated 2 |
 * | 10 | xã | P1 | 28/02 23:50 | — | submitted | — | — | receipt | — | outside March |
 */
export interface IndicatorFixture {
  procedures: { p1: { key: string; name: string }; p2: { key: string; name: string } };
  dossiers: Record<number, { id: string; code: string }>;
}

const XA = 'DEMO.01.H01';
const TINH = 'DEMO.02.H01';
const vn = (moment: string) => `${moment}+07:00`;

interface Spec {
  n: number;
  agency: string;
  procedure: 'p1' | 'p2';
  submitted: string;
  due: string;
  received?: string;
  amendment?: string;
  status: string;
  ended?: string;
  tasks?: Array<{ due: string; ended?: string }>;
  notices: string[];
  results?: boolean[];
  digitization?: 'confirmed' | 'awaiting-confirmation';
  payments?: string[];
  rating?: number;
}

const SPECS: Spec[] = [
  { n: 1, agency: XA, procedure: 'p1', submitted: '2026-03-02T08:00', due: '2026-03-02T16:00', received: '2026-03-02T10:00', status: 'result-issued', ended: '2026-03-05T10:00', tasks: [{ due: '2026-03-04T17:00', ended: '2026-03-03T10:00' }], notices: ['receipt', 'result'], results: [true], digitization: 'confirmed', payments: ['transaction-succeeded'], rating: 5 },
  { n: 2, agency: XA, procedure: 'p1', submitted: '2026-03-03T08:00', due: '2026-03-03T16:00', received: '2026-03-04T09:00', status: 'completed', ended: '2026-03-10T10:00', tasks: [{ due: '2026-03-06T17:00', ended: '2026-03-08T10:00' }], notices: ['receipt', 'result'], results: [false], payments: ['payment-failed'], rating: 3 },
  { n: 3, agency: XA, procedure: 'p1', submitted: '2026-03-04T08:00', due: '2026-03-04T16:00', amendment: '2026-03-04T09:00', status: 'refused', ended: '2026-03-06T10:00', notices: ['receipt', 'refusal'] },
  { n: 4, agency: XA, procedure: 'p1', submitted: '2026-03-05T08:00', due: '2099-01-01T08:00', status: 'submitted', notices: ['receipt'] },
  { n: 5, agency: XA, procedure: 'p1', submitted: '2026-03-06T08:00', due: '2026-03-06T16:00', received: '2026-03-06T09:00', status: 'processing', tasks: [{ due: '2026-03-07T17:00' }], notices: ['receipt'], payments: ['initiated'] },
  { n: 6, agency: XA, procedure: 'p2', submitted: '2026-03-10T08:00', due: '2026-03-10T16:00', received: '2026-03-10T09:00', status: 'result-issued', ended: '2026-03-12T10:00', tasks: [{ due: '2026-03-12T17:00', ended: '2026-03-11T10:00' }], notices: ['receipt', 'result'], results: [true, true], digitization: 'awaiting-confirmation', rating: 4 },
  { n: 7, agency: XA, procedure: 'p2', submitted: '2026-03-31T23:30', due: '2026-04-01T16:00', status: 'submitted', notices: [] },
  { n: 8, agency: XA, procedure: 'p1', submitted: '2026-04-01T00:10', due: '2026-04-01T16:00', status: 'submitted', notices: ['receipt'] },
  { n: 9, agency: TINH, procedure: 'p1', submitted: '2026-03-15T08:00', due: '2026-03-16T16:00', received: '2026-03-15T09:00', status: 'completed', ended: '2026-03-20T10:00', notices: ['receipt'], rating: 2 },
  { n: 10, agency: XA, procedure: 'p1', submitted: '2026-02-28T23:50', due: '2026-03-02T16:00', status: 'submitted', notices: ['receipt'] },
];

/** The fixture's dossiers, owned by the demo citizen `001099054321` (createDemoData first). */
export async function seedIndicatorFixture(db: Database): Promise<IndicatorFixture> {
  const owner = await db('accounts').where({ username: '001099054321' }).first<{ id: string }>('id');
  const definitions = await db('process_definitions').distinctOn('key').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }]).select<Array<{ id: string; key: string; name: string | null }>>('id', 'key', 'name');
  const p1 = definitions.find((d) => d.key === BIRTH_PROCEDURE)!;
  const p2 = definitions.find((d) => d.key !== BIRTH_PROCEDURE)!;
  const procedures = { p1: { key: p1.key, name: p1.name ?? p1.key, id: p1.id }, p2: { key: p2.key, name: p2.name ?? p2.key, id: p2.id } };
  const dossiers: IndicatorFixture['dossiers'] = {};
  for (const spec of SPECS) {
    const procedure = procedures[spec.procedure];
    const [instance] = await db('process_instances')
      .insert({ definition_id: procedure.id, business_key: `IND-${spec.n}`, status: spec.ended ? 'completed' : 'active', snapshot: '{}', active_element_ids: [], started_at: vn(spec.submitted), ended_at: spec.ended ? vn(spec.ended) : null })
      .returning<Array<{ id: string }>>('id');
    const code = `IND-${String(spec.n).padStart(4, '0')}`;
    const [dossier] = await db('dossiers')
      .insert({
        instance_id: instance!.id, definition_id: procedure.id, procedure_key: procedure.key, procedure_name: procedure.name, owner_account_id: owner.id,
        applicant_name: 'Trần Thị Bình', applicant_id: '001099054321', agency_code: spec.agency, code, status: spec.status,
        submitted_at: vn(spec.submitted), receipt_due_at: vn(spec.due), received_at: spec.received ? vn(spec.received) : null,
        amendment_requested_at: spec.amendment ? vn(spec.amendment) : null, ended_at: spec.ended ? vn(spec.ended) : null,
        refusal: spec.status === 'refused' ? JSON.stringify({ reasons: ['Hồ sơ không đúng thẩm quyền'], by: 'test' }) : null,
      })
      .returning<Array<{ id: string }>>('id');
    const id = dossier!.id;
    dossiers[spec.n] = { id, code };
    for (const task of spec.tasks ?? []) {
      await db('user_tasks').insert({ instance_id: instance!.id, element_id: 'Task_xu_ly', name: 'Xử lý', candidate_group: spec.agency, status: task.ended ? 'completed' : 'open', created_at: vn(spec.submitted), due_at: vn(task.due), ended_at: task.ended ? vn(task.ended) : null });
    }
    for (const kind of spec.notices) await db('notices').insert({ account_id: owner.id, dossier_id: id, kind, subject: JSON.stringify({ vi: kind, en: kind }), body: JSON.stringify({ vi: kind, en: kind }), created_at: vn(spec.submitted) });
    for (const [i, signed] of (spec.results ?? []).entries()) {
      const [result] = await db('dossier_results').insert({ dossier_id: id, n: i + 1, code: `${code}-KQ${i + 1}`, title: procedure.name, issued_at: vn(spec.ended!), issued_by: 'worker:result.sign' }).returning<Array<{ id: string }>>('id');
      if (signed) await db('result_documents').insert({ result_id: result!.id, state: 'issued', pdf: Buffer.from('%PDF-1.4\n%%EOF\n'), signed_at: vn(spec.ended!), signer_agency_code: spec.agency, lookup_base_url: 'http://localhost' });
    }
    if (spec.digitization) {
      await db('digitizations').insert({ dossier_id: id, component_name: 'Giấy chứng sinh', document_kind: 'original', status: spec.digitization, created_by: 'test', copier_name: 'Cán bộ Một cửa' });
    }
    for (const [i, status] of (spec.payments ?? []).entries()) {
      const txCode = `G22.99.2-260301${String(spec.n * 10 + i).padStart(6, '0')}`;
      await db('payment_transactions').insert({
        dossier_id: id, code: txCode, kind: 2, content: txCode, revenue_identifier: code, collecting_agency_code: spec.agency, collecting_agency_name: spec.agency,
        procedure_code: '1.001193', amount_vnd: 8000, payer_name: 'Trần Thị Bình', citad_code: '01701001', account_number: '3511.0.1234567', account_name: 'Thu phí', status, provider: 'sandbox',
      });
    }
    if (spec.rating) await db('dossier_ratings').insert({ dossier_id: id, account_id: owner.id, score: spec.rating, rated_at: vn(spec.ended!) });
  }
  return { procedures: { p1: { key: p1.key, name: procedures.p1.name }, p2: { key: p2.key, name: procedures.p2.name } }, dossiers };
}
