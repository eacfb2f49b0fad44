import { Router } from 'express';
import { z } from 'zod';
import { agencyCodeSchema } from '../../engine/codes/application-number.ts';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import { requirePrincipal } from '../access/authorize.ts';
import type { Database } from '../db/connect.ts';
import { agencyTransactions, checkAgencyAccess, MARKS, setMark, transactionDetail, transactionFilters, transactionItem, type AccountingAction, type TransactionRow } from '../payments/accounting.ts';
import { loadCollectionSettings, saveCollectionSettings } from '../payments/collection-settings.ts';
import { paymentProvider } from '../payments/provider.ts';
import { parseDay, readReconciliation, reconcileDay, runColumns, runSummary, type RunRow } from '../payments/reconciliation.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { validate } from './problem.ts';

const agencyParams = z.object({ agency: agencyCodeSchema });
const transactionParams = agencyParams.extend({ id: z.uuid('not a transaction id (UUID)') });
const dayParams = agencyParams.extend({ day: z.string().max(20).refine((value) => parseDay(value) !== undefined, 'a day, yyyy-mm-dd or dd/mm/yyyy') });
const markBody = z.strictObject({ mark: z.enum(MARKS, { error: `one of ${MARKS.join(', ')}` }) });
const reconcileBody = z.strictObject({
  /** yyyy-mm-dd or dd/mm/yyyy; a day over already in Vietnam. */
  day: z.string().min(1).max(20),
  /** A statement file instead of the provider's statement: its file name (.json or .csv) and its text. */
  statement: z.strictObject({ name: z.string().trim().min(1).max(200), contents: z.string().max(90 * 1024) }).optional(),
});

/**
 * The provider whose statement a day is reconciled with. None configured is the product's state,
 * not an outage, and it reads no statement file either (its format is the provider's): 409.
 */
function providerInUse() {
  try {
    return paymentProvider();
  } catch (error) {
    if (isQuyTrinhError(error) && error.code === 'payment.no-provider') {
      throw new QuyTrinhError('conflict', 'payment.no-provider', { vi: 'Chưa cấu hình nhà cung cấp dịch vụ thanh toán: không có sao kê nào để đối soát', en: 'No payment provider is configured: there is no statement to reconcile with' });
    }
    throw error;
  }
}

const newestFirst: Keyset = {
  name: 'payment-transactions',
  keys: [
    { sql: 't.created_at', kind: 'timestamp', descending: true },
    { sql: 't.id', kind: 'uuid', descending: true },
  ],
};
const latestDayFirst: Keyset = {
  name: 'payment-reconciliations',
  keys: [
    { sql: `to_char(r.day, 'YYYY-MM-DD')`, kind: 'text', descending: true },
    { sql: 'r.id', kind: 'bigint', descending: true },
  ],
};

/**
 * `/api/payments/agencies/{agency}/…`: a collecting agency's payments for its accountant (issue 13,
 * docs/payments.md "The accountant's screen and API"): the transactions, one with its callbacks,
 * the marks of Circular 01 Art. 28.3–28.4, the daily reconciliations (Art. 28.2; Decree 45 Art.
 * 13.7.d) and the collection settings (Art. 27.1). The route table lets officials and
 * administrators in; `checkAgencyAccess` then keeps an official to their own agency (another
 * agency answers 404) and to what their function may do (403).
 */
export function paymentAccountingRouter(db: Database): Router {
  const router = Router();
  const agencyOf = async (params: unknown, response: Parameters<typeof requirePrincipal>[0], action: AccountingAction) => {
    const { agency } = validate(agencyParams, params, 'params');
    await checkAgencyAccess(db, requirePrincipal(response), agency, action);
    return agency;
  };

  router.get('/payments/agencies/:agency/transactions', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'read');
    const query = validate(pageQuery.extend(transactionFilters.shape), request.query, 'query');
    response.json(await pageOf(db, agencyTransactions(db, agency, query), newestFirst, query, (row: TransactionRow) => transactionItem(row)));
  });

  router.get('/payments/agencies/:agency/transactions/:id', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'read');
    const { id } = validate(transactionParams, request.params, 'params');
    response.json(await transactionDetail(db, agency, id));
  });

  router.post('/payments/agencies/:agency/transactions/:id/marks', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'mark');
    const { id } = validate(transactionParams, request.params, 'params');
    const { mark } = validate(markBody, request.body ?? {}, 'body');
    response.json(await setMark(db, agency, id, mark, requirePrincipal(response).actor));
  });

  router.get('/payments/agencies/:agency/reconciliations', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'read');
    const query = validate(pageQuery, request.query, 'query');
    const runs = db('payment_reconciliations as r')
      .select(runColumns(db).map((column) => (typeof column === 'string' ? `r.${column}` : db.raw(`to_char(r.day, 'YYYY-MM-DD') as day`))))
      .select(db.raw('(select count(*)::int from payment_reconciliation_mismatches m where m.reconciliation_id = r.id and m.collecting_agency_code = ?) as agency_mismatches', [agency]));
    response.json(await pageOf(db, runs, latestDayFirst, query, (row: RunRow & { agency_mismatches: number }) => ({ ...runSummary(row), agencyMismatches: row.agency_mismatches })));
  });

  router.get('/payments/agencies/:agency/reconciliations/:day', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'read');
    const day = parseDay(validate(dayParams, request.params, 'params').day)!;
    const providers = await db('payment_reconciliations').where({ day }).orderBy('provider').pluck<string[]>('provider');
    const runs = await Promise.all(providers.map((provider) => readReconciliation(db, { provider, day }, agency)));
    if (runs.length === 0) {
      throw new QuyTrinhError('not-found', 'payment.reconciliation-not-found', { vi: `Ngày ${day} chưa được đối soát`, en: `${day} has not been reconciled` });
    }
    response.json({ day, runs });
  });

  router.post('/payments/agencies/:agency/reconciliations', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'reconcile');
    const body = validate(reconcileBody, request.body ?? {}, 'body');
    const principal = requirePrincipal(response);
    const run = await reconcileDay(db, providerInUse(), body.day, { by: principal.actor, statementFile: body.statement });
    response.status(201).json({ day: run.day, runs: [await readReconciliation(db, { id: run.id }, agency)] });
  });

  router.get('/payments/agencies/:agency/collection-settings', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'read');
    const settings = await loadCollectionSettings(db, agency);
    if (!settings) throw new QuyTrinhError('not-found', 'payment.not-configured', { vi: `Cơ quan ${agency} chưa có thiết lập thu phí`, en: `Agency ${agency} has no collection settings yet` });
    response.json(settings);
  });

  router.put('/payments/agencies/:agency/collection-settings', async (request, response) => {
    const agency = await agencyOf(request.params, response, 'settings');
    const body: unknown = request.body ?? {};
    if (typeof body === 'object' && body !== null && 'agencyCode' in body && body.agencyCode !== agency) {
      throw new QuyTrinhError('invalid-input', 'payment.settings-agency-mismatch', { vi: `Thiết lập gửi lên là của cơ quan khác, không phải ${agency}`, en: `The settings sent are another agency's, not ${agency}'s` }, [{ field: 'body.agencyCode', message: `must be ${agency}` }]);
    }
    const principal = requirePrincipal(response);
    response.json(await db.transaction((trx) => saveCollectionSettings(trx, { ...(body as object), agencyCode: agency }, principal.actor)));
  });

  return router;
}
