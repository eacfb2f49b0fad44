import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
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

/** `GET /api/lookup/{code}`: a dossier's code, procedure name and completion level, public. */
export function lookupRouter(db: Database): Router {
  const router = Router();
  router.get('/lookup/:code', async (request, response) => {
    const { code } = validate(codeParams, request.params, 'params');
    const row = await db('process_instances as i')
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .where('i.business_key', code)
      .whereNull('i.parent_instance_id')
      .first<{ status: keyof typeof LEVELS; name: string | null; key: string } | undefined>('i.status', 'd.name', 'd.key');
    if (!row) {
      throw new QuyTrinhError('not-found', 'dossier.not-found', { vi: `Không tìm thấy hồ sơ mã ${code}`, en: `No dossier with code ${code}` }, [{ field: 'params.code', message: 'no dossier with this code' }]);
    }
    response.setHeader('Cache-Control', 'no-store');
    response.json({ code, procedure: row.name ?? row.key, level: LEVELS[row.status] });
  });
  return router;
}
