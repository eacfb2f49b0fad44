import { APPLICANT_CANDIDATE_GROUP } from '../../engine/bpmn/process-graph.ts';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { formCodeSchema } from '../../engine/codes/form-code.ts';
import { transactionCodeSchema } from '../../engine/codes/transaction-code.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import { parseForm } from '../../engine/forms/index.ts';
import { requirePrincipal } from '../access/authorize.ts';
import { restrictDossierList } from '../access/scopes.ts';
import type { Database } from '../db/connect.ts';
import { compiledDefinition } from '../execution/definitions.ts';
import { componentSlots } from '../dossiers/components.ts';
import { latestForm, saveForm } from '../dossiers/forms.ts';
import { openProcedure, receivingAgencies } from '../dossiers/procedures.ts';
import { publishedProcedures } from '../publications/service-publications.ts';
import { amendmentRequestBody, receiveDossier, refuseDossier, requestAmendment, refusalBody } from '../dossiers/receipt.ts';
import { DOSSIER_STATUSES, type DossierRow } from '../dossiers/records.ts';
import { printNotice, resultPdf } from '../dossiers/printing.ts';
import { annulmentBody, annulResult, resultByCode } from '../dossiers/results.ts';
import { amendDossier, amendmentBody, applicationFormFor, submissionBody, submitDossier } from '../dossiers/submission.ts';
import { dossierListItem, dossierView } from '../dossiers/view.ts';
import { retryDossierPayment } from '../payments/dossier-payments.ts';
import { paymentReceipt } from '../payments/receipts.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';
import { pageOf, pageOfArray, pageQuery, type Keyset } from './pagination.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not a dossier id (UUID)') });
const componentParams = idParams.extend({ componentId: z.uuid('not a component id (UUID)') });
const keyParams = z.object({ key: z.string().min(1).max(200) });
const codeParams = z.object({ code: z.string().min(1).max(200).regex(/^[0-9A-Za-z.\-_]+$/, 'a result code such as 000.00.01.H01-250310-0001-KQ1') });
const noticeKindParams = idParams.extend({ kind: z.enum(['receipt', 'amendment', 'refusal'], { error: 'receipt, amendment or refusal' }) });
const paymentParams = idParams.extend({ code: transactionCodeSchema });
const emptyBody = z.strictObject({});
const formParams = z.object({ code: formCodeSchema });
const noticeParams = z.object({ id: z.uuid('not a notice id (UUID)') });
const listQuery = pageQuery.extend({
  status: z.enum(DOSSIER_STATUSES).optional(),
  /** A dossier code, or part of the applicant's name or ID. */
  q: z.string().trim().min(1).max(200).optional(),
});

const newestFirst: Keyset = {
  name: 'dossiers',
  keys: [
    { sql: 'd.submitted_at', kind: 'timestamp', descending: true },
    { sql: 'd.id', kind: 'uuid', descending: true },
  ],
};
const byKey: Keyset & { keys: readonly [{ sql: string; kind: 'text' }] } = { name: 'portal.procedures', keys: [{ sql: 'key', kind: 'text' }] };
const inboxOrder: Keyset = {
  name: 'notices',
  keys: [
    { sql: 'n.created_at', kind: 'timestamp', descending: true },
    { sql: 'n.id', kind: 'uuid', descending: true },
  ],
};

async function dossierById(db: Database, id: string): Promise<DossierRow> {
  const dossier = await db<DossierRow>('dossiers').where({ id }).first();
  if (!dossier) throw new QuyTrinhError('not-found', 'dossier.not-found', { vi: `Không có hồ sơ ${id}`, en: `No dossier ${id}` });
  return dossier;
}

/**
 * The dossier layer's API (docs/dossiers.md): the portal, dossiers and their lifecycle, results,
 * notices and forms. Notices are printed, and results without a stored signed document signed, in
 * `pdfPool`'s threads (docs/printing.md).
 */
export function dossiersRouter(db: Database, publicUrl: string | undefined, pdfPool: PdfPool = sharedPdfPool()): Router {
  const router = Router();
  // Where the QR of a printed document leads: the configured public address, else the one this request came to.
  const lookupBase = (request: Request) => publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  const sendPdf = (response: Response, fileName: string, pdf: Buffer) => {
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="${fileName}.pdf"`);
    response.setHeader('Cache-Control', 'private, no-store');
    response.send(pdf);
  };

  router.get('/portal/procedures', async (request, response) => {
    const page = pageOfArray(byKey, await publishedProcedures(db), (procedure) => procedure.key, validate(pageQuery, request.query, 'query'));
    const items = await Promise.all(
      page.items.map(async (procedure) => ({ key: procedure.key, procedureCode: procedure.procedureCode, name: procedure.name, formCode: procedure.formCode, agencies: await receivingAgencies(db, procedure) })),
    );
    response.json({ ...page, items });
  });

  router.get('/portal/procedures/:key/form', async (request, response) => {
    const { key } = validate(keyParams, request.params, 'params');
    response.json(await applicationFormFor(db, requirePrincipal(response), key));
  });

  router.post('/dossiers', async (request, response) => {
    const body = validate(submissionBody, request.body ?? {}, 'body');
    const { dossier, receipt } = await submitDossier(db, requirePrincipal(response), body, pdfPool);
    response.status(201).json({ dossier: await dossierView(db, dossier), receipt });
  });

  router.get('/dossiers', async (request, response) => {
    const { limit, cursor, ...filter } = validate(listQuery, request.query, 'query');
    const dossiers = db('dossiers as d').select('d.*');
    restrictDossierList(requirePrincipal(response), dossiers);
    if (filter.status) void dossiers.where('d.status', filter.status);
    if (filter.q) {
      const q = filter.q;
      void dossiers.where((match) => void match.where('d.code', q).orWhere('d.applicant_id', q).orWhereILike('d.applicant_name', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    }
    const now = new Date();
    response.json(await pageOf(db, dossiers, newestFirst, { limit, cursor }, (row: DossierRow) => dossierListItem(row, now)));
  });

  router.get('/dossiers/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.json(await dossierView(db, await dossierById(db, id)));
  });

  router.get('/dossiers/:id/components/:componentId', async (request, response) => {
    const { id, componentId } = validate(componentParams, request.params, 'params');
    const component = await db('dossier_components').where({ id: componentId, dossier_id: id }).first<{ file_name: string; media_type: string; content: Buffer } | undefined>('file_name', 'media_type', 'content');
    if (!component) throw new QuyTrinhError('not-found', 'dossier.component-not-found', { vi: `Hồ sơ không có thành phần ${componentId}`, en: `The dossier has no component ${componentId}` });
    response.setHeader('Content-Type', component.media_type);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(component.file_name)}`);
    response.setHeader('Cache-Control', 'private, no-store');
    response.send(component.content);
  });

  router.get('/dossiers/:id/notices/:kind.pdf', async (request, response) => {
    const { id, kind } = validate(noticeKindParams, request.params, 'params');
    const dossier = await dossierById(db, id);
    sendPdf(response, `${dossier.code}-${kind}`, await printNotice(db, dossier, kind, lookupBase(request), pdfPool));
  });

  router.get('/results/:code.pdf', async (request, response) => {
    const { code } = validate(codeParams, request.params, 'params');
    const found = await resultByCode(db, code);
    if (!found) throw new QuyTrinhError('not-found', 'result.not-found', { vi: `Không có kết quả ${code}`, en: `No result ${code}` });
    // The document signed when the result was issued (or annulled), as stored (docs/signatures.md).
    sendPdf(response, code, await resultPdf(db, found.dossier, found.result, lookupBase(request), pdfPool));
  });

  router.post('/dossiers/:id/amend', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(amendmentBody, request.body ?? {}, 'body');
    const dossier = await dossierById(db, id);
    const principal = requirePrincipal(response);
    // Only the applicant answers their amendment request; an official who may read it may not.
    if (dossier.owner_account_id !== principal.id) throw new QuyTrinhError('forbidden', 'dossier.not-owner', { vi: 'Chỉ người nộp hồ sơ mới bổ sung được hồ sơ', en: 'Only the applicant can amend the dossier' });
    const graph = (await compiledDefinition(dossier.definition_id, db)).graph;
    const openApplicantTask = await db('user_tasks').where({ instance_id: dossier.instance_id, status: 'open', candidate_group: APPLICANT_CANDIDATE_GROUP }).first<{ element_id: string } | undefined>('element_id');
    const procedure = openProcedure({ id: dossier.definition_id, key: dossier.procedure_key, version: 0, name: dossier.procedure_name }, graph);
    const step = openApplicantTask ? graph.nodes.get(openApplicantTask.element_id) : undefined;
    const components = [...(procedure?.components ?? []), ...(step ? componentSlots(step) : [])];
    const amended = await amendDossier(db, principal, dossier, body, { amendmentTask: openApplicantTask?.element_id, components }, pdfPool);
    response.json(await dossierView(db, amended));
  });

  router.post('/dossiers/:id/receive', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    await receiveDossier(db, requirePrincipal(response), await dossierById(db, id));
    response.json(await dossierView(db, await dossierById(db, id)));
  });

  router.post('/dossiers/:id/request-amendment', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(amendmentRequestBody, request.body ?? {}, 'body');
    await requestAmendment(db, requirePrincipal(response), await dossierById(db, id), body);
    response.json(await dossierView(db, await dossierById(db, id)));
  });

  router.post('/dossiers/:id/refuse', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(refusalBody, request.body ?? {}, 'body');
    await refuseDossier(db, requirePrincipal(response), await dossierById(db, id), body);
    response.json(await dossierView(db, await dossierById(db, id)));
  });

  router.post('/results/:code/annul', async (request, response) => {
    const { code } = validate(codeParams, request.params, 'params');
    const { reason } = validate(annulmentBody, request.body ?? {}, 'body');
    const annulled = await annulResult(db, requirePrincipal(response), code, reason);
    response.json({ code: annulled.code, annulledAt: annulled.annulled_at!.toISOString(), annulmentReason: annulled.annulment_reason });
  });

  router.get('/notices', async (request, response) => {
    const query = validate(pageQuery, request.query, 'query');
    const notices = db('notices as n')
      .leftJoin('dossiers as d', 'd.id', 'n.dossier_id')
      .where({ 'n.account_id': requirePrincipal(response).id })
      .select('n.id', 'n.dossier_id', 'd.code as dossier_code', 'n.kind', 'n.subject', 'n.body', 'n.created_at', 'n.read_at');
    response.json(
      await pageOf(db, notices, inboxOrder, query, (row: { id: string; dossier_id: string | null; dossier_code: string | null; kind: string; subject: unknown; body: unknown; created_at: Date; read_at: Date | null }) => ({
        id: row.id,
        dossierId: row.dossier_id,
        dossierCode: row.dossier_code,
        kind: row.kind,
        subject: row.subject,
        body: row.body,
        createdAt: row.created_at.toISOString(),
        readAt: row.read_at?.toISOString() ?? null,
      })),
    );
  });

  router.post('/notices/:id/read', async (request, response) => {
    const { id } = validate(noticeParams, request.params, 'params');
    const updated = await db('notices').where({ id, account_id: requirePrincipal(response).id }).update({ read_at: db.raw('coalesce(read_at, now())') });
    if (updated === 0) throw new QuyTrinhError('not-found', 'notice.not-found', { vi: `Không có thông báo ${id}`, en: `No notice ${id}` });
    response.json({ id, read: true });
  });

  router.get('/forms/:code', async (request, response) => {
    const { code } = validate(formParams, request.params, 'params');
    const form = await latestForm(db, code);
    if (!form) throw new QuyTrinhError('not-found', 'form.not-found', { vi: `Không có biểu mẫu ${code}`, en: `No form ${code}` });
    response.json(form);
  });

  router.put('/forms/:code', async (request, response) => {
    const { code } = validate(formParams, request.params, 'params');
    const schema = parseForm(request.body, 'body');
    if (schema.id !== undefined && schema.id !== code) {
      throw new QuyTrinhError('invalid-input', 'form.code-mismatch', { vi: `Mã biểu mẫu trong nội dung (${schema.id}) khác mã trên đường dẫn (${code})`, en: `The form's id (${schema.id}) differs from the code in the path (${code})` }, [{ field: 'body.id', message: `must be ${code}` }]);
    }
    const saved = await saveForm(db, code, request.body as Record<string, unknown>, requirePrincipal(response).actor);
    response.status(saved.created ? 201 : 200).json({ code: saved.code, version: saved.version, created: saved.created });
  });

  // The payer's side of the dossier's fees (docs/payments.md): a new attempt after a failure, the signed receipt.
  router.post('/dossiers/:id/payments/retry', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    validate(emptyBody, request.body ?? {}, 'body');
    // Citizens only, and the dossier scope keeps them to their own (route-policies.ts).
    response.status(202).json(await retryDossierPayment(db, await dossierById(db, id), requirePrincipal(response).actor));
  });

  router.get('/dossiers/:id/payments/:code/receipt.pdf', async (request, response) => {
    const { id, code } = validate(paymentParams, request.params, 'params');
    const dossier = await dossierById(db, id);
    sendPdf(response, `bien-lai-${code}`, await paymentReceipt(db, dossier, code, lookupBase(request)));
  });

  return router;
}
