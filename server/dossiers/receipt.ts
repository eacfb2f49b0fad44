import { APPLICANT_CANDIDATE_GROUP } from '../../engine/bpmn/process-graph.ts';
import type { Knex } from 'knex';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { terminateInstances } from '../execution/calls.ts';
import { compiledDefinition } from '../execution/definitions.ts';
import { completeUserTaskWith, type UserTaskRow } from '../execution/tasks.ts';
import { officialLanes } from '../access/scopes.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { addNotice } from './notices.ts';
import { recordDossierEvent, type DossierRow } from './records.ts';

/**
 * The receipt check of Decree 45 Art. 11.2–11.4, on the model's `qt:dossierStep="receipt"` task:
 * receive, ask for amendment once, or refuse with reasons. The decision sets the variables the
 * catalogue's gateways read (docs/dossiers.md): `canBoSung` and `noiDungBoSung`.
 */
const itemText = z.string().trim().min(1, 'required').max(2000, 'at most 2,000 characters');
export const amendmentRequestBody = z.object({ items: z.array(itemText).min(1, 'list at least one thing to supplement').max(50), note: itemText.optional() }).strict();
export const refusalBody = z.object({ reasons: z.array(itemText).min(1, 'give at least one reason').max(50) }).strict();

/** The dossier's open receipt task, which the caller must be offered (their lanes), or a clear refusal. */
async function openReceiptTask(db: Database, principal: Principal, dossier: DossierRow): Promise<UserTaskRow> {
  const graph = (await compiledDefinition(dossier.definition_id, db)).graph;
  const receiptSteps = [...graph.nodes.values()].filter((node) => node.qt.dossierStep === 'receipt').map((node) => node.id);
  const task = await db<UserTaskRow>('user_tasks').where({ instance_id: dossier.instance_id, status: 'open' }).whereIn('element_id', receiptSteps).first();
  if (!task) {
    throw new QuyTrinhError('conflict', 'dossier.not-awaiting-receipt', {
      vi: `Hồ sơ ${dossier.code} không ở bước tiếp nhận (trạng thái hiện tại không cho phép thao tác này)`,
      en: `Dossier ${dossier.code} is not at its receipt check`,
    });
  }
  await requireOffered(db, principal, task);
  return task;
}

/** An official may act on a task of their lanes that nobody else has claimed (an administrator on any). */
export async function requireOffered(db: Database, principal: Principal, task: Pick<UserTaskRow, 'id' | 'candidate_group' | 'assignee_account_id'>): Promise<void> {
  if (hasRole(principal, 'admin')) return;
  const lanes = hasRole(principal, 'official') ? await officialLanes(db, principal) : [];
  if (task.candidate_group === null || !lanes.includes(task.candidate_group)) {
    throw new QuyTrinhError('forbidden', 'task.not-offered', {
      vi: 'Bước này không thuộc bộ phận, chức năng của bạn',
      en: 'This step is not one of your agency and function',
    });
  }
  if (task.assignee_account_id !== null && task.assignee_account_id !== principal.id) {
    throw new QuyTrinhError('conflict', 'task.claimed-by-other', {
      vi: 'Một cán bộ khác đang xử lý bước này; họ cần trả lại hoặc chuyển cho bạn',
      en: 'Another official has claimed this step; they must unclaim it or assign it to you',
    });
  }
}

/** Receipt (Art. 11.3): the dossier is adequate; it goes on to be handled. */
export async function receiveDossier(db: Database, principal: Principal, dossier: DossierRow): Promise<void> {
  const task = await openReceiptTask(db, principal, dossier);
  await completeUserTaskWith(db, task.id, { canBoSung: false }, principal.actor, async (trx) => {
    await trx('dossiers').where({ id: dossier.id }).update({ status: 'received', received_at: new Date() });
    await recordDossierEvent(trx, dossier.id, 'received', principal.actor);
  });
}

/**
 * The one amendment request (Art. 11.3: "once"): every item to supplement in one list. A second
 * request on the same dossier is refused, whatever the model draws; the check and the request
 * are one transaction, so two officials asking at once cannot both succeed.
 */
export async function requestAmendment(db: Database, principal: Principal, dossier: DossierRow, body: z.infer<typeof amendmentRequestBody>): Promise<void> {
  if (dossier.amendment_requested_at !== null) throw alreadyRequested(dossier);
  const task = await openReceiptTask(db, principal, dossier);
  const guidance = [...body.items.map((item, index) => `${index + 1}. ${item}`), ...(body.note ? [body.note] : [])].join('\n');
  await completeUserTaskWith(db, task.id, { canBoSung: true, noiDungBoSung: guidance }, principal.actor, async (trx) => {
    const updated = await trx('dossiers')
      .where({ id: dossier.id })
      .whereNull('amendment_requested_at')
      .update({ status: 'amendment-requested', amendment_requested_at: new Date(), amendment_request: JSON.stringify({ items: body.items, ...(body.note ? { note: body.note } : {}), by: principal.actor }) });
    if (updated === 0) throw alreadyRequested(dossier);
    await recordDossierEvent(trx, dossier.id, 'amendment-requested', principal.actor, { items: body.items, ...(body.note ? { note: body.note } : {}) });
  });
}

function alreadyRequested(dossier: DossierRow): QuyTrinhError {
  return new QuyTrinhError('conflict', 'dossier.amendment-already-requested', {
    vi: `Hồ sơ ${dossier.code} đã được yêu cầu bổ sung một lần; Nghị định 45/2020 Điều 11.3 chỉ cho phép hướng dẫn bổ sung một lần`,
    en: `Dossier ${dossier.code} has already been asked for an amendment; Decree 45/2020 Art. 11.3 allows amendment guidance only once`,
  });
}

/**
 * Refusal with reasons: at receipt (Art. 11.3, an application that cannot be received) or by the
 * official handling it. The process instance is ended, the applicant told why; the dossier keeps
 * its code so the refusal can be looked up and printed.
 */
export async function refuseDossier(db: Database, principal: Principal, dossier: DossierRow, body: z.infer<typeof refusalBody>): Promise<void> {
  const task = await db<UserTaskRow>('user_tasks').where({ instance_id: dossier.instance_id, status: 'open' }).whereNot('candidate_group', APPLICANT_CANDIDATE_GROUP).first();
  if (!task || dossier.status === 'refused') {
    throw new QuyTrinhError('conflict', 'dossier.not-open', {
      vi: `Hồ sơ ${dossier.code} không có bước xử lý đang mở để từ chối`,
      en: `Dossier ${dossier.code} has no open step to refuse at`,
    });
  }
  await requireOffered(db, principal, task);
  await db.transaction(async (trx: Knex.Transaction) => {
    const now = new Date();
    await trx('process_instances').where({ id: dossier.instance_id }).forUpdate().first('id');
    await terminateInstances(trx, [dossier.instance_id], now, `refused:${dossier.id}`);
    await trx('dossiers').where({ id: dossier.id }).update({ status: 'refused', refusal: JSON.stringify({ reasons: body.reasons, by: principal.actor }), ended_at: now });
    await recordDossierEvent(trx, dossier.id, 'refused', principal.actor, { reasons: body.reasons, at: task.element_id }, now);
    await addNotice(trx, {
      accountId: dossier.owner_account_id,
      dossierId: dossier.id,
      kind: 'refusal',
      subject: { vi: `Hồ sơ ${dossier.code} bị từ chối`, en: `Dossier ${dossier.code} was refused` },
      body: { vi: `Lý do: ${body.reasons.join('; ')}`, en: `Reasons: ${body.reasons.join('; ')}` },
    }, now);
  });
}
