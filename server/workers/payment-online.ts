import { QuyTrinhError } from '../../engine/errors.ts';
import { formatVnd } from '../../engine/payments/money.ts';
import { revenueFromSettings } from '../../engine/payments/revenue.ts';
import type { DossierRow } from '../dossiers/records.ts';
import { addNotice } from '../dossiers/notices.ts';
import { compiledDefinition } from '../execution/definitions.ts';
import { loadCollectionSettings } from '../payments/collection-settings.ts';
import { paymentProvider } from '../payments/provider.ts';
import { createPaymentTransaction } from '../payments/transactions.ts';
import { addDossierEvent, dossierOfInstance, stepName } from './dossier-records.ts';
import { BusinessError, type JobContext } from './handlers.ts';

const JOB_TYPE = 'payment.online';

/** The transaction statuses after which the step waits for a new payment (docs/payments.md: a retry is a new transaction). */
export const ENDED_UNPAID = ['initiation-failed', 'payment-failed', 'transaction-failed'] as const;

/** A 12-digit personal identification number, which individuals use as their tax ID (Circular 01 Art. 27.1.k; docs/payments.md). */
const PERSONAL_ID = /^[0-9]{12}$/;

/**
 * `payment.online` (a waiting job, handlers.ts): the dossier's fee is asked for online (Decree 45
 * Art. 13; Circular 01 Art. 27). When the step starts, in its transaction: a payment transaction
 * for the dossier (revenue data from the agency's collection settings and the step's `qt:feeVnd`,
 * Art. 27.1; code and content, Art. 27.3–27.4), the provider's checkout for it, and a notice to the
 * applicant with the link and the provider's fee before paying (Decree 45 Art. 13.7.b). The step
 * then waits: the provider's callback of a successful payment completes it (`completePaidStep`),
 * once; a failed payment leaves it waiting.
 *
 * The checkout is created over HTTP inside the step's transaction, so a failure to reach the
 * provider rolls the transaction code back (codes stay gap-free) and the job is retried; a
 * checkout left at the provider by a rollback is never paid against a stored code.
 */
export async function startOnlinePayment(context: JobContext & { serviceJobId: string }): Promise<void> {
  const { trx, instanceId, elementId, serviceJobId, now } = context;
  // A job run again after a crash: its payment is there already.
  if (await trx('payment_transactions').where({ service_job_id: serviceJobId }).whereNotIn('status', ENDED_UNPAID).first('id')) return;
  const found = await dossierOfInstance(trx, instanceId);
  if (!found) throw new BusinessError('PAYMENT_NO_DOSSIER', `payment.online at ${elementId} needs a dossier: the instance was started without one`);
  const dossier = await trx<DossierRow>('dossiers').where({ id: found.id }).first();
  const instance = await trx('process_instances').where({ id: instanceId }).first<{ definition_id: string }>('definition_id');
  const { graph } = await compiledDefinition(instance.definition_id, trx);
  const feeVnd = graph.nodes.get(elementId)?.qt.feeVnd;
  if (!feeVnd) throw new BusinessError('PAYMENT_NO_FEE', `payment.online at ${elementId} has no qt:feeVnd: there is nothing to pay`);
  const settings = await loadCollectionSettings(trx, dossier!.agency_code);
  if (!settings) {
    throw new QuyTrinhError('unprocessable', 'payment.not-configured', {
      vi: `Cơ quan ${dossier!.agency_code} chưa có thiết lập thu phí trực tuyến (tài khoản, mã CITAD): hãy thiết lập rồi thử lại sự cố`,
      en: `Agency ${dossier!.agency_code} has no online collection settings (account, CITAD code): set them, then retry the incident`,
    });
  }
  const provider = paymentProvider();
  const revenue = revenueFromSettings(settings, {
    revenueIdentifier: dossier!.code,
    // A catalogue procedure still without its National Database code carries its folder (docs/payments.md, 27.1.d).
    procedureCode: dossier!.procedure_code ?? `local:${dossier!.procedure_key}`,
    amountVnd: feeVnd,
    payerName: dossier!.applicant_name,
    ...(dossier!.applicant_id && PERSONAL_ID.test(dossier!.applicant_id) ? { payerTaxId: dossier!.applicant_id } : {}),
  });
  const transaction = await createPaymentTransaction(trx, { revenue, settings, provider: provider.name, now, dossierId: dossier!.id });
  const checkout = await provider.createCheckout({ transactionCode: transaction.code, amountVnd: revenue.amountVnd, content: transaction.content, payerName: revenue.payerName });
  await trx('payment_transactions')
    .where({ id: transaction.id })
    .update({ service_job_id: serviceJobId, provider_reference: checkout.reference, checkout_url: checkout.url, service_fee_vnd: checkout.serviceFeeVnd });

  const step = await stepName(trx, instanceId, elementId);
  const amount = formatVnd(revenue.amountVnd);
  const fee = formatVnd(checkout.serviceFeeVnd);
  const noticeId = await addNotice(trx, {
    accountId: dossier!.owner_account_id,
    dossierId: dossier!.id,
    kind: 'message',
    subject: { vi: `Hồ sơ ${dossier!.code}: nộp phí, lệ phí trực tuyến`, en: `Application ${dossier!.code}: pay the fees online` },
    body: {
      vi: `Hồ sơ ${dossier!.code} (${dossier!.procedure_name}) cần nộp ${amount} (${step}). Mã giao dịch ${transaction.code}. Phí dịch vụ thanh toán của tổ chức cung cấp dịch vụ: ${fee}. Thanh toán tại: ${checkout.url}`,
      en: `Application ${dossier!.code} (${dossier!.procedure_name}) has ${amount} to pay (${step}). Transaction code ${transaction.code}. The payment provider's service fee: ${fee}. Pay at: ${checkout.url}`,
    },
  }, now);
  await addDossierEvent(trx, dossier!.id, JOB_TYPE, 'payment-requested', {
    elementId,
    transactionCode: transaction.code,
    amountVnd: revenue.amountVnd,
    serviceFeeVnd: checkout.serviceFeeVnd,
    noticeId,
    text: { vi: `Đã yêu cầu nộp ${amount}, mã giao dịch ${transaction.code}`, en: `Payment of ${amount} requested, transaction code ${transaction.code}` },
  }, now);
}
