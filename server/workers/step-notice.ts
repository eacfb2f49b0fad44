import type { Bilingual } from '../../engine/errors.ts';
import { addDossierEvent, dossierStep, type DossierRow } from './dossier-records.ts';
import type { JobContext } from './job-context.ts';
import { addNotice } from '../dossiers/notices.ts';

export interface StepRecord {
  /** The dossier event's kind. */
  kind: string;
  /** What was done, for the dossier's history. */
  text: Bilingual;
  /** What the applicant is told (a `message` notice). */
  notice: { subject: Bilingual; body: Bilingual };
}

/**
 * The record of a step done on the dossier by the product on an agency's behalf (a public
 * posting, a publication, a database update): a history line and a message to the applicant,
 * in the step's transaction. An instance with no dossier: nothing recorded.
 */
export async function recordStepAndNotify(context: JobContext, jobType: string, describe: (dossier: DossierRow, step: string) => StepRecord): Promise<Record<string, unknown>> {
  const found = await dossierStep(context);
  if (!found) return {};
  const { dossier, step } = found;
  const record = describe(dossier, step);
  const noticeId = await addNotice(context.trx, { accountId: dossier.owner_account_id, dossierId: dossier.id, kind: 'message', ...record.notice }, context.now);
  await addDossierEvent(context.trx, dossier.id, jobType, record.kind, { elementId: context.elementId, step, noticeId, text: record.text }, context.now);
  return {};
}
