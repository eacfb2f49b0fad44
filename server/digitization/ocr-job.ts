/**
 * The digitization job (docs/digitization.md, "The job"), run by the job queue
 * (server/execution/worker.ts) in whichever process claims it. In order, as Circular 01 Art. 7
 * lists the steps: the copy is assembled, stamped and signed (Art. 8.1, "before moving to data
 * extraction"), each page not yet read is recognised (Art. 9.1) with its progress stored as it
 * goes, then the metadata of Art. 9.2 is suggested from the text for the official to confirm.
 *
 * Every step is stored as it ends, so a job run again after a crash or a restart takes up where
 * it stopped: a signed copy is not signed again, a page read is not read again, and a page that
 * was being read starts over. Without the Vietnamese OCR data the job does not fail: the problem
 * (naming the package tesseract-ocr-vie) is stored and the official types the metadata (Art. 9.1).
 */
import type { Task } from 'graphile-worker';
import type { Knex } from 'knex';
import { extractMetadata, type OcrLine } from '../../engine/digitization/extract.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { officialSigner } from '../signatures/credentials.ts';
import { recognizePage } from './ocr-pool.ts';
import { imageSize } from './scan-pages.ts';
import { signedStampedCopy } from './stamped-copy.ts';

export const DIGITIZATION_OCR_TASK = 'qt.digitization-ocr';
const MAX_ATTEMPTS = 5;
/** Progress is written when it has moved by this much: a few writes per page. */
const PROGRESS_STEP = 0.1;

export interface DigitizationOcrPayload {
  digitizationId: string;
}

export async function queueDigitizationOcr(trx: Knex.Transaction, digitizationId: string): Promise<void> {
  const payload: DigitizationOcrPayload = { digitizationId };
  await trx.raw('select graphile_worker.add_job(?, ?::json, job_key => ?, max_attempts => ?)', [DIGITIZATION_OCR_TASK, JSON.stringify(payload), `digitization:${digitizationId}`, MAX_ATTEMPTS]);
}

interface JobRow {
  id: string;
  status: string;
  dossier_id: string;
  component_name: string;
  copier_name: string;
  created_by: string;
  created_at: Date;
  signed_at: Date | null;
  agency_code: string;
  dossier_code: string;
}

interface PageRow {
  n: number;
  media_type: 'image/png' | 'image/jpeg';
  content: Buffer;
  recognized_at: Date | null;
  lines: OcrLine[] | null;
}

/** Runs (or resumes) one digitization; exported for the tests, which run it as the queue would. */
export async function runDigitizationOcr(db: Database, digitizationId: string, logger?: Logger): Promise<void> {
  const row = await db('digitizations as z')
    .join('dossiers as d', 'd.id', 'z.dossier_id')
    .where('z.id', digitizationId)
    .first<JobRow | undefined>('z.id', 'z.status', 'z.dossier_id', 'z.component_name', 'z.copier_name', 'z.created_by', 'z.created_at', 'z.signed_at', 'd.agency_code', 'd.code as dossier_code');
  if (!row || (row.status !== 'queued' && row.status !== 'ocr')) return; // gone, excluded, or done already
  const pages = await db('digitization_pages').where({ digitization_id: digitizationId }).orderBy('n').select<PageRow[]>('n', 'media_type', 'content', 'recognized_at', 'lines');

  if (!row.signed_at) {
    // The copier's time is when the scan was recorded; the signature carries the same moment.
    const sized = pages.map((page) => ({ content: page.content, ...imageSize({ mediaType: page.media_type, content: page.content })! }));
    // The copier signs with their personal certificate (Art. 8.1); anyone else's scan, the agency.
    const signer = (await officialSigner(db, row.created_by, row.agency_code)) ?? { kind: 'agency' as const, agencyCode: row.agency_code };
    const pdf = await signedStampedCopy(db, signer, sized, { copierName: row.copier_name, copiedAt: row.created_at }, `${row.component_name} — ${row.dossier_code}`);
    await db('digitizations').where({ id: digitizationId, status: row.status }).update({ signed_pdf: pdf, signed_at: row.created_at, status: 'ocr' });
  } else if (row.status === 'queued') await db('digitizations').where({ id: digitizationId }).update({ status: 'ocr' });

  let problem: { code: string; text: { vi: string; en: string } } | null = null;
  for (const page of pages) {
    if (page.recognized_at) continue;
    let written = 0;
    const pending: Array<Promise<unknown>> = [];
    try {
      const read = await recognizePage(page.content, (progress) => {
        if (progress - written < PROGRESS_STEP || progress >= 1) return;
        written = progress;
        pending.push(db('digitization_pages').where({ digitization_id: digitizationId, n: page.n }).whereNull('recognized_at').update({ progress }).catch(() => undefined));
      });
      await Promise.all(pending);
      await db('digitization_pages').where({ digitization_id: digitizationId, n: page.n }).update({ text: read.text, confidence: read.confidence, lines: JSON.stringify(read.lines), progress: 1, recognized_at: new Date() });
      page.lines = read.lines;
      logger?.debug({ digitizationId, page: page.n, confidence: read.confidence }, 'page recognised');
    } catch (error) {
      await Promise.all(pending);
      if (!isQuyTrinhError(error) || error.code !== 'digitization.ocr-unavailable') throw error; // retried by the queue
      problem = { code: error.code, text: error.text };
      logger?.warn({ digitizationId }, error.text.en);
      break;
    }
  }
  const suggestions = problem ? null : extractMetadata(pages.map((page) => ({ lines: page.lines ?? [] })));
  await db('digitizations')
    .where({ id: digitizationId, status: 'ocr' })
    .update({ status: 'awaiting-confirmation', suggestions: suggestions && JSON.stringify(suggestions), ocr_problem: problem && JSON.stringify(problem), ocr_finished_at: new Date() });
}

export function digitizationOcrTask(db: Database, logger: Logger): Task {
  return async (payload) => {
    await runDigitizationOcr(db, (payload as DigitizationOcrPayload).digitizationId, logger);
  };
}
