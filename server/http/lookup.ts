import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { DossierStatus } from '../dossiers/records.ts';
import { validate } from './problem.ts';

/**
 * The completion level a person may see without signing in (Circular 01 Art. 23.5.a: "mã số hồ
 * sơ và mức độ hoàn thành"), named in both languages. We read "completion level" as the dossier's
 * stage, never its steps, data or people.
 */
const LEVELS = {
  active: { code: 'dang-xu-ly', vi: 'Đang giải quyết', en: 'Being processed' },
  completed: { code: 'da-hoan-thanh', vi: 'Đã có kết quả', en: 'Result issued' },
  terminated: { code: 'da-dung', vi: 'Đã dừng xử lý', en: 'Processing stopped' },
  failed: { code: 'dang-xu-ly', vi: 'Đang giải quyết', en: 'Being processed' },
} as const;

const codeParams = z.object({ code: z.string().trim().min(1, 'required').max(100, 'at most 100 characters').regex(/^[0-9A-Za-z.\-_]+$/, 'a dossier code such as 000.00.01.H01-250310-0001') });

const RESULT_CODE = /-KQ\d+$/;

/** A dossier's level, from its stage in the dossier layer (docs/dossiers.md). */
const DOSSIER_LEVELS: Record<DossierStatus, { code: string; vi: string; en: string }> = {
  submitted: { code: 'cho-tiep-nhan', vi: 'Đã nộp, chờ tiếp nhận', en: 'Submitted, awaiting receipt' },
  'amendment-requested': { code: 'cho-bo-sung', vi: 'Chờ người nộp bổ sung', en: 'Awaiting the applicant\'s amendment' },
  received: LEVELS.active,
  processing: LEVELS.active,
  'result-issued': LEVELS.completed,
  refused: { code: 'tu-choi', vi: 'Đã từ chối', en: 'Refused' },
  completed: { code: 'da-ket-thuc', vi: 'Đã kết thúc', en: 'Closed' },
};

/**
 * `GET /api/lookup/{code}`: a dossier's or a result's code, its procedure and completion level,
 * public. A result code is what a printed result's QR leads to (Circular 01 Art. 26): an annulled
 * result says so, since every paper copy of it is then invalid (Decree 45 Art. 15.3).
 */
export function lookupRouter(db: Database): Router {
  const router = Router();
  router.get('/lookup/:code', async (request, response) => {
    const { code } = validate(codeParams, request.params, 'params');
    response.setHeader('Cache-Control', 'no-store');
    // A result's code is its dossier's with -KQ<n> (Decree 45 Art. 14.3.d): one query either way.
    const result = RESULT_CODE.test(code) ? await db('dossier_results as r')
      .join('dossiers as d', 'd.id', 'r.dossier_id')
      .where('r.code', code)
      .first<{ procedure_name: string; issued_at: Date; annulled_at: Date | null } | undefined>('d.procedure_name', 'r.issued_at', 'r.annulled_at') : undefined;
    if (result) {
      response.json({
        code,
        kind: 'result',
        procedure: result.procedure_name,
        level: result.annulled_at ? { code: 'da-huy', vi: 'Kết quả đã bị huỷ: bản in không còn giá trị', en: 'Result annulled: printed copies are no longer valid' } : { code: 'con-hieu-luc', vi: 'Kết quả đang có hiệu lực', en: 'Result in force' },
        issuedAt: result.issued_at.toISOString(),
        annulledAt: result.annulled_at?.toISOString() ?? null,
      });
      return;
    }
    const dossier = await db('dossiers').where({ code }).first<{ procedure_name: string; status: DossierStatus } | undefined>('procedure_name', 'status');
    if (dossier) {
      response.json({ code, kind: 'dossier', procedure: dossier.procedure_name, level: DOSSIER_LEVELS[dossier.status] });
      return;
    }
    // An instance started over the API without the dossier layer, under its business key.
    const row = await db('process_instances as i')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .where('i.business_key', code)
      .whereNull('i.parent_instance_id')
      .first<{ status: keyof typeof LEVELS; name: string | null; key: string } | undefined>('i.status', 'd.name', 'd.key');
    if (!row) {
      throw new QuyTrinhError('not-found', 'dossier.not-found', { vi: `Không tìm thấy hồ sơ hay kết quả mã ${code}`, en: `No dossier or result with code ${code}` }, [{ field: 'params.code', message: 'no dossier or result with this code' }]);
    }
    response.json({ code, kind: 'dossier', procedure: row.name ?? row.key, level: LEVELS[row.status] });
  });
  return router;
}
