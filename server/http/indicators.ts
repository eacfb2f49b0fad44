import { Router, type Response } from 'express';
import { z } from 'zod';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { agenciesAsked, indicatorsScope } from '../indicators/access.ts';
import { halfYear, halfYearQuery, indicatorsQuery } from '../indicators/period.ts';
import { rateDossier, ratingBody } from '../indicators/rating.ts';
import { indicatorsReport } from '../indicators/report.ts';
import { indicatorsWorkbook, vietnameseDay } from '../indicators/workbook.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not a dossier id (UUID)') });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendWorkbook(response: Response, file: Buffer, name: string): void {
  response.type(XLSX).setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`).send(file);
}

/**
 * `/api/indicators*` (issue 14, docs/indicators.md): Decision 766's indicators per agency,
 * procedure and period, as JSON and .xlsx; the half-yearly report of Decree 45 Art. 26.9 / 27.8
 * from the same figures; and the applicant's rating of their ended dossier. Who sees which
 * agencies: indicators/access.ts. The workbooks hold one row per agency and procedure, small
 * enough to write on the request's own turn.
 */
export function indicatorsRouter(db: Database): Router {
  const router = Router();

  router.get('/indicators', async (request, response) => {
    const scope = indicatorsScope(requirePrincipal(response));
    const { language: _language, ...query } = validate(indicatorsQuery, request.query, 'query');
    response.json(await indicatorsReport(db, scope, query));
  });

  router.get('/indicators.xlsx', async (request, response) => {
    const scope = indicatorsScope(requirePrincipal(response));
    const { language, ...query } = validate(indicatorsQuery, request.query, 'query');
    const report = await indicatorsReport(db, scope, query);
    sendWorkbook(response, await indicatorsWorkbook(report, language), `chi-so-766_${report.period.from}_${report.period.to}`);
  });

  router.get('/indicators/half-yearly.xlsx', async (request, response) => {
    const scope = indicatorsScope(requirePrincipal(response));
    const { year, half, agency, language } = validate(halfYearQuery, request.query, 'query');
    agenciesAsked(scope, agency);
    const period = halfYear(year, half);
    const report = await indicatorsReport(db, scope, { from: period.from, to: period.to, agency });
    const due = vietnameseDay(period.due);
    const file = await indicatorsWorkbook(report, language, {
      title: { vi: `Báo cáo 6 tháng ${half === 1 ? 'đầu' : 'cuối'} năm ${year} về tình hình, kết quả thực hiện Nghị định 45/2020/NĐ-CP`, en: `Half-yearly report (${half === 1 ? 'first' : 'second'} half of ${year}) on the implementation of Decree 45/2020/ND-CP` },
      lines: [{ vi: `Điều 26.9, 27.8 Nghị định 45/2020/NĐ-CP: gửi Thủ tướng Chính phủ trước ngày ${due}`, en: `Decree 45/2020 Art. 26.9, 27.8: to the Prime Minister before ${due}` }],
    });
    sendWorkbook(response, file, `bao-cao-6-thang_${year}-${half}`);
  });

  router.post('/dossiers/:id/rating', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const body = validate(ratingBody, request.body ?? {}, 'body');
    response.status(201).json(await rateDossier(db, requirePrincipal(response), id, body));
  });

  return router;
}
