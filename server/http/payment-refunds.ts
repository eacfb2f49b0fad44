import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import { agencyCodeSchema } from '../../engine/codes/application-number.ts';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { hasRole } from '../identity/roles.ts';
import { decideRefund, prepareRefund, refundClaimBody, refundClaimRows, refundView, rejectionBody, REFUND_COLUMNS, REFUND_STATUS_FILTER, resendRefund, seesAgency, visibleRefund, type RefundClaimRow } from '../payments/refunds.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { validate } from './problem.ts';

const idParams = z.object({ id: z.uuid('not a refund claim id (UUID)') });
const listQuery = pageQuery.extend({
  agency: agencyCodeSchema.optional(),
  status: REFUND_STATUS_FILTER.optional(),
  transactionCode: z.string().trim().min(1).max(100).optional(),
});
const emptyBody = z.strictObject({});

const newestFirst: Keyset = {
  name: 'payment.refunds',
  keys: [
    { sql: 'r.prepared_at', kind: 'timestamp', descending: true },
    { sql: 'r.id', kind: 'uuid', descending: true },
  ],
};

/**
 * `/api/payments/refunds`: refund claims (Circular 01 Art. 29–30; docs/payments.md "Refunds"),
 * for the officials of the collecting agency (another agency's claims answer 404) and
 * administrators (read only: the two functions of Art. 30.2 are officials'). Citizens are refused
 * by the route policy table.
 */
export function paymentRefundsRouter(db: Database): Router {
  const router = Router();

  router.get('/payments/refunds', async (request, response) => {
    const principal = requirePrincipal(response);
    const { agency, status, transactionCode, ...page } = validate(listQuery, request.query, 'query');
    if (agency && !seesAgency(principal, agency)) {
      throw new QuyTrinhError('not-found', 'payment.agency-not-found', { vi: `Không có cơ quan thu ${agency} của bạn`, en: `No collecting agency ${agency} of yours` }, [{ field: 'query.agency', message: 'not one of your agencies' }]);
    }
    const rows = refundClaimRows(db).select(...REFUND_COLUMNS);
    if (!hasRole(principal, 'admin')) void rows.whereIn('r.collecting_agency_code', principal.memberships.map((membership) => membership.agencyCode));
    if (agency) void rows.where('r.collecting_agency_code', agency);
    if (status) void rows.where('r.status', status);
    if (transactionCode) void rows.where('t.code', transactionCode);
    response.setHeader('Cache-Control', 'private, no-store');
    response.json(await pageOf(db, rows, newestFirst, page, (row: RefundClaimRow) => refundView(row)));
  });

  router.post('/payments/refunds', async (request, response) => {
    const input = validate(refundClaimBody, request.body ?? {}, 'body');
    response.status(201).json(refundView(await prepareRefund(db, requirePrincipal(response), input)));
  });

  router.get('/payments/refunds/:id', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    response.setHeader('Cache-Control', 'private, no-store');
    response.json(refundView(await visibleRefund(db, requirePrincipal(response), id)));
  });

  router.post('/payments/refunds/:id/approve', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    validate(emptyBody, request.body ?? {}, 'body');
    response.json(refundView(await decideRefund(db, requirePrincipal(response), id, { approve: true })));
  });

  router.post('/payments/refunds/:id/reject', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    const { reason } = validate(rejectionBody, request.body ?? {}, 'body');
    response.json(refundView(await decideRefund(db, requirePrincipal(response), id, { approve: false, reason })));
  });

  // An approved order the provider could not be reached for, sent again by an approver (Art. 30.2.c).
  router.post('/payments/refunds/:id/send', async (request, response) => {
    const { id } = validate(idParams, request.params, 'params');
    validate(emptyBody, request.body ?? {}, 'body');
    response.json(refundView(await resendRefund(db, requirePrincipal(response), id)));
  });

  return router;
}
