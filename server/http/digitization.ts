import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { confirmationBody, confirmDigitization, createDigitization, digitizationBody, digitizationOf, digitizationView, dossierForDigitization, ROW_COLUMNS, type DigitizationRow } from '../digitization/digitizations.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { validate } from './problem.ts';

const dossierParams = z.object({ id: z.uuid('not a dossier id (UUID)') });
const digitizationParams = dossierParams.extend({ digitizationId: z.uuid('not a digitization id (UUID)') });

const newestFirst: Keyset = {
  name: 'digitizations',
  keys: [
    { sql: 'z.created_at', kind: 'timestamp', descending: true },
    { sql: 'z.id', kind: 'uuid', descending: true },
  ],
};

/**
 * Digitization of a dossier's paper components (docs/digitization.md; Circular 01 Art. 6–12).
 * Bodies are JSON (the authorisation middleware reads JSON and XML writes only), the scan in
 * base64 as a dossier's components are; under `/dossiers`, so with the dossier's body limit.
 */
export function digitizationRouter(db: Database): Router {
  const router = Router();

  router.post('/dossiers/:id/digitizations', async (request, response) => {
    const { id } = validate(dossierParams, request.params, 'params');
    const principal = requirePrincipal(response);
    const dossier = await dossierForDigitization(db, principal, id, { confirming: false });
    const body = validate(digitizationBody, request.body, 'body');
    const created = await createDigitization(db, principal, dossier, body);
    response.status(201).location(`/api/dossiers/${id}/digitizations/${created}`).json(await digitizationView(db, await digitizationOf(db, id, created)));
  });

  router.get('/dossiers/:id/digitizations', async (request, response) => {
    const { id } = validate(dossierParams, request.params, 'params');
    const query = validate(pageQuery, request.query, 'query');
    const rows = db('digitizations as z')
      .where('z.dossier_id', id)
      .select(ROW_COLUMNS.map((column) => `z.${column}`))
      .select(db.raw('(select count(*)::int from digitization_pages p where p.digitization_id = z.id) as pages_total'))
      .select(db.raw('(select count(*)::int from digitization_pages p where p.digitization_id = z.id and p.recognized_at is not null) as pages_done'));
    response.json(
      await pageOf(db, rows, newestFirst, query, (row: DigitizationRow & { pages_total: number; pages_done: number }) => ({
        id: row.id,
        componentName: row.component_name,
        documentKind: row.document_kind,
        status: row.status,
        exclusion: row.exclusion,
        pagesDone: row.pages_done,
        pagesTotal: row.pages_total,
        code: row.code,
        createdAt: row.created_at.toISOString(),
        copierName: row.copier_name,
        confirmedAt: row.confirmed_at?.toISOString() ?? null,
      })),
    );
  });

  router.get('/dossiers/:id/digitizations/:digitizationId', async (request, response) => {
    const { id, digitizationId } = validate(digitizationParams, request.params, 'params');
    response.setHeader('Cache-Control', 'private, no-store');
    response.json(await digitizationView(db, await digitizationOf(db, id, digitizationId)));
  });

  router.get('/dossiers/:id/digitizations/:digitizationId/copy.pdf', async (request, response) => {
    const { id, digitizationId } = validate(digitizationParams, request.params, 'params');
    const row = await db('digitizations').where({ id: digitizationId, dossier_id: id }).first<{ signed_pdf: Buffer | null; status: string } | undefined>('signed_pdf', 'status');
    if (!row) throw new QuyTrinhError('not-found', 'digitization.not-found', { vi: `Không có bản số hóa ${digitizationId} trong hồ sơ này`, en: `No digitization ${digitizationId} in this dossier` });
    if (!row.signed_pdf) {
      throw new QuyTrinhError('conflict', row.status === 'excluded' ? 'digitization.excluded' : 'digitization.not-ready', row.status === 'excluded'
        ? { vi: 'Giấy tờ này không được số hóa (Thông tư 01/2023 Điều 4.4): không có bản sao', en: 'This document is not digitized (Circular 01/2023 Art. 4.4): there is no copy' }
        : { vi: 'Bản chụp chưa được đóng dấu và ký số; thử lại sau ít giây', en: 'The copy is not stamped and signed yet; try again in a few seconds' });
    }
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="so-hoa-${digitizationId}.pdf"`);
    response.setHeader('Cache-Control', 'private, no-store');
    response.send(row.signed_pdf);
  });

  router.post('/dossiers/:id/digitizations/:digitizationId/confirm', async (request, response) => {
    const { id, digitizationId } = validate(digitizationParams, request.params, 'params');
    const principal = requirePrincipal(response);
    await dossierForDigitization(db, principal, id, { confirming: true });
    const { metadata } = validate(confirmationBody, request.body, 'body');
    response.json(await digitizationView(db, await confirmDigitization(db, principal, id, digitizationId, metadata)));
  });

  return router;
}
