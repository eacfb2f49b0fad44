import type { Knex } from 'knex';
import { createWorkingCalendar } from '../../engine/calendar/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import {
  publicationStatus,
  recordProblems,
  testRunDueAt,
  type PublicationStatus,
  type TestRecord,
} from '../../engine/publication/service-test-run.ts';
import type { Database } from '../db/connect.ts';
import { openProcedures, type OpenProcedure } from '../dossiers/procedures.ts';
import { pageOf, type Keyset, type Page, type PageRequest } from '../http/pagination.ts';

/**
 * Online public services and their test runs (Circular 01/2023 Art. 20; the rules in
 * engine/publication/service-test-run.ts, docs/service-test-runs.md).
 */

/** The disclosure is national: the national working calendar counts its 05 working days. */
const nationalCalendar = createWorkingCalendar();

interface PublicationRow {
  id: string;
  definition_key: string;
  procedure_code: string;
  procedure_name: string;
  published_at: Date;
  published_by: string;
  due_at: Date;
  tested_at: Date | null;
  tested_by: string | null;
  test_record: TestRecord | null;
}

export interface Publication {
  id: string;
  key: string;
  procedureCode: string;
  procedureName: string;
  publishedAt: string;
  publishedBy: string;
  dueAt: string;
  status: PublicationStatus;
  testedAt: string | null;
  testedBy: string | null;
  record: TestRecord | null;
}

const toPublication = (row: PublicationRow, now: Date): Publication => ({
  id: row.id,
  key: row.definition_key,
  procedureCode: row.procedure_code,
  procedureName: row.procedure_name,
  publishedAt: row.published_at.toISOString(),
  publishedBy: row.published_by,
  dueAt: row.due_at.toISOString(),
  status: publicationStatus({ dueAt: row.due_at, testedAt: row.tested_at }, now),
  testedAt: row.tested_at?.toISOString() ?? null,
  testedBy: row.tested_by,
  record: row.test_record,
});

const COLUMNS = ['id', 'definition_key', 'procedure_code', 'procedure_name', 'published_at', 'published_by', 'due_at', 'tested_at', 'tested_by', 'test_record'];

/**
 * Opens the publication of every open procedure that has none yet, dated by the deployment that
 * opened it (process_definitions.deployed_at): the period runs from the disclosure even when
 * nobody reads the list for days. Idempotent; concurrent callers insert one row (the partial
 * unique index).
 */
export async function openPublications(db: Database | Knex.Transaction, open: readonly OpenProcedure[]): Promise<void> {
  if (open.length === 0) return;
  const known = new Set(await db('service_publications').whereNull('superseded_at').whereIn('definition_key', open.map((procedure) => procedure.key)).pluck('definition_key'));
  const missing = open.filter((procedure) => !known.has(procedure.key));
  if (missing.length === 0) return;
  const deployedAt = new Map((await db('process_definitions').whereIn('id', missing.map((procedure) => procedure.definitionId)).select<Array<{ id: string; deployed_at: Date }>>('id', 'deployed_at')).map((row) => [row.id, row.deployed_at]));
  const rows = missing.map((procedure) => {
    const publishedAt = deployedAt.get(procedure.definitionId) ?? new Date();
    return {
      definition_key: procedure.key,
      procedure_code: procedure.procedureCode,
      procedure_name: procedure.name,
      published_at: publishedAt,
      published_by: 'deployment',
      due_at: testRunDueAt(nationalCalendar, publishedAt),
    };
  });
  await db('service_publications').insert(rows).onConflict(db.raw('(definition_key) where superseded_at is null')).ignore();
}

/** The keys whose service Art. 20.3 has stopped: past due with no test recorded. */
export async function stoppedKeys(db: Database | Knex.Transaction, now = new Date()): Promise<Set<string>> {
  const keys = await db('service_publications').whereNull('superseded_at').whereNull('tested_at').where('due_at', '<', now).pluck('definition_key');
  return new Set(keys as string[]);
}

/** Every open procedure, each with its publication opened. */
export async function syncPublications(db: Database): Promise<OpenProcedure[]> {
  const open = await openProcedures(db);
  await openPublications(db, open);
  return open;
}

/** What the portal offers: the open procedures whose service Art. 20.3 has not stopped. */
export async function publishedProcedures(db: Database, now = new Date()): Promise<OpenProcedure[]> {
  const open = await syncPublications(db);
  const stopped = await stoppedKeys(db, now);
  return open.filter((procedure) => !stopped.has(procedure.key));
}

/** Refuses a form or an application for a stopped service (the portal no longer offers it). */
export async function assertServiceOpen(db: Database | Knex.Transaction, procedure: OpenProcedure, now = new Date()): Promise<void> {
  await openPublications(db, [procedure]);
  const current = await db('service_publications').whereNull('superseded_at').where({ definition_key: procedure.key }).first<PublicationRow>(COLUMNS);
  if (publicationStatus({ dueAt: current.due_at, testedAt: current.tested_at }, now) === 'stopped') throw serviceStopped(procedure.key, current.due_at);
}

function serviceStopped(key: string, dueAt: Date): QuyTrinhError {
  const due = dueAt.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return new QuyTrinhError('conflict', 'procedure.service-stopped', {
    vi: `Dịch vụ công trực tuyến ${key} đã dừng công khai: không có kết quả kiểm thử trước ${due} (Thông tư 01/2023 Điều 20.3)`,
    en: `The online service ${key} is stopped: no test was recorded by ${due} (Circular 01/2023 Art. 20.3)`,
  }, [{ field: 'body.procedureKey', message: 'the service was stopped for want of a test run' }]);
}

const publicationOrder: Keyset = {
  name: 'service-publications',
  keys: [
    { sql: 'published_at', kind: 'timestamp', descending: true },
    { sql: 'id', kind: 'uuid', descending: true },
  ],
};

/** The current publications, newest first; `status` filters after the derivation rule. */
export function listPublications(db: Database, request: PageRequest & { status?: PublicationStatus | undefined }, now = new Date()): Promise<Page<Publication>> {
  const query = db('service_publications').whereNull('superseded_at').select(COLUMNS);
  if (request.status === 'tested') void query.whereNotNull('tested_at');
  if (request.status === 'testing') void query.whereNull('tested_at').where('due_at', '>=', now);
  if (request.status === 'stopped') void query.whereNull('tested_at').where('due_at', '<', now);
  return pageOf(db, query, publicationOrder, request, (row: PublicationRow) => toPublication(row, now));
}

async function currentPublication(db: Database | Knex.Transaction, key: string, lock = false): Promise<PublicationRow> {
  const query = db('service_publications').whereNull('superseded_at').where({ definition_key: key }).first<PublicationRow | undefined>(COLUMNS);
  if (lock) void query.forUpdate();
  const row = await query;
  if (!row) {
    throw new QuyTrinhError('not-found', 'publication.not-found', {
      vi: `Thủ tục ${key} chưa được công khai là dịch vụ công trực tuyến`,
      en: `Procedure ${key} has not been published as an online service`,
    }, [{ field: 'params.key', message: 'no publication under this key' }]);
  }
  return row;
}

export async function publicationOf(db: Database, key: string, now = new Date()): Promise<Publication & { evidence: TestEvidence | null }> {
  const row = await currentPublication(db, key);
  const evidence = row.test_record ? await testEvidence(db, key, row.test_record.dossierCode, row.published_at) : null;
  return { ...toPublication(row, now), evidence };
}

/**
 * What the tested dossier shows of the items (Art. 20.2 b–d), read from its records so that the
 * reviewer sees the facts beside what the agency ticked: submitted online after the disclosure,
 * paid online, a result issued and signed.
 */
export interface TestEvidence {
  dossierCode: string;
  submittedAt: string;
  status: string;
  paidOnline: boolean;
  signedResultCodes: string[];
}

async function testEvidence(db: Database | Knex.Transaction, key: string, dossierCode: string, publishedAt: Date): Promise<TestEvidence> {
  const dossier = await db('dossiers').where({ code: dossierCode }).first<{ id: string; procedure_key: string; submitted_at: Date; status: string } | undefined>('id', 'procedure_key', 'submitted_at', 'status');
  if (!dossier || dossier.procedure_key !== key || dossier.submitted_at < publishedAt) {
    throw new QuyTrinhError('unprocessable', 'publication.not-a-test-dossier', {
      vi: `Hồ sơ ${dossierCode} không phải hồ sơ nộp trực tuyến cho thủ tục ${key} sau khi công khai`,
      en: `Dossier ${dossierCode} is not an online application to ${key} made after the publication`,
    }, [{ field: 'body.dossierCode', message: 'no dossier of this procedure with this code submitted since the publication' }]);
  }
  const [paid, signed] = await Promise.all([
    db('payment_transactions').where({ dossier_id: dossier.id }).whereIn('status', ['payment-succeeded', 'transaction-succeeded']).first<{ id: string } | undefined>('id'),
    db('dossier_results').join('result_documents', 'result_documents.result_id', 'dossier_results.id').where({ 'dossier_results.dossier_id': dossier.id, 'result_documents.state': 'issued' }).orderBy('dossier_results.code').pluck('dossier_results.code') as Promise<string[]>,
  ]);
  return { dossierCode, submittedAt: dossier.submitted_at.toISOString(), status: dossier.status, paidOnline: paid !== undefined, signedResultCodes: signed };
}

/**
 * Records the test run (Art. 20.2.đ): once per publication, before it is stopped; the tested
 * dossier must be an application to this procedure made since the disclosure.
 */
export async function recordTestRun(db: Database, key: string, record: TestRecord, actor: string, takesOnlinePayment: (key: string) => Promise<boolean>, now = new Date()): Promise<Publication & { evidence: TestEvidence }> {
  return db.transaction(async (trx) => {
    const row = await currentPublication(trx, key, true);
    const status = publicationStatus({ dueAt: row.due_at, testedAt: row.tested_at }, now);
    if (status === 'tested') {
      throw new QuyTrinhError('conflict', 'publication.already-tested', {
        vi: `Kết quả kiểm thử của thủ tục ${key} đã được ghi nhận`,
        en: `The test run of ${key} is already recorded`,
      }, [{ field: 'params.key', message: 'already tested' }]);
    }
    if (status === 'stopped') throw serviceStopped(key, row.due_at);
    const problems = recordProblems(record, await takesOnlinePayment(key));
    if (problems.length > 0) {
      throw new QuyTrinhError('unprocessable', 'publication.item-not-applicable', problems[0]!.text, problems.map((problem) => ({ field: problem.field, message: problem.text.en, messages: problem.text })));
    }
    const evidence = await testEvidence(trx, key, record.dossierCode, row.published_at);
    const [updated] = await trx('service_publications').where({ id: row.id }).update({ tested_at: now, tested_by: actor, test_record: JSON.stringify(record) }).returning<PublicationRow[]>(COLUMNS);
    return { ...toPublication(updated!, now), evidence };
  });
}

/**
 * Publishes a service again (after a stop, or to test a corrected service): ends the current
 * publication and opens a new 05-working-day period from now.
 */
export async function republish(db: Database, procedure: OpenProcedure, actor: string, now = new Date()): Promise<Publication> {
  return db.transaction(async (trx) => {
    await trx('service_publications').whereNull('superseded_at').where({ definition_key: procedure.key }).update({ superseded_at: now });
    const [row] = await trx('service_publications').insert({
      definition_key: procedure.key,
      procedure_code: procedure.procedureCode,
      procedure_name: procedure.name,
      published_at: now,
      published_by: actor,
      due_at: testRunDueAt(nationalCalendar, now),
    }).returning<PublicationRow[]>(COLUMNS);
    return toPublication(row!, now);
  });
}
