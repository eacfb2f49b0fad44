import type { Knex } from 'knex';
import { QuyTrinhError } from '../../engine/errors.ts';
import { formatVnd } from '../../engine/payments/money.ts';
import { revenueFromSettings } from '../../engine/payments/revenue.ts';
import type { DossierRow } from '../dossiers/records.ts';
import { addNotice } from '../dossiers/notices.ts';
import type { ProcessGraph } from '../../engine/bpmn/process-graph.ts';
import { compiledDefinition } from '../execution/definitions.ts';
import { timerJobKey } from '../execution/job-kinds.ts';
import { loadCollectionSettings } from '../payments/collection-settings.ts';
import { paymentProvider } from '../payments/provider.ts';
import { createPaymentTransaction } from '../payments/transactions.ts';
import { addDossierEvent, dossierOfInstance, stepName } from './dossier-records.ts';
import { BusinessError, type WaitingJobContext } from './job-context.ts';

const JOB_TYPE = 'payment.online';

/** The transaction statuses after which the step waits for a new payment (docs/payments.md: a retry is a new transaction). */
export const ENDED_UNPAID = ['initiation-failed', 'payment-failed', 'transaction-failed'] as const;

/** A 12-digit personal identification number, which individuals use as their tax ID (Circular 01 Art. 27.1.k; docs/payments.md). */
const PERSONAL_ID = /^[0-9]{12}$/;

/**
 * `payment.online` (a waiting job, handlers.ts): the dossier's fee is asked for online (Decree 45
 * Art. 13; Circular 01 Art. 27). When the step starts:
 * 1. in one transaction, the payment transaction for the dossier: revenue data from the agency's
 *    collection settings and the step's `qt:feeVnd` (Art. 27.1), code and content (Art.
 *    27.3–27.4), status `initiated`, bound to the step's job. Committed before the provider is
 *    called, so the day's code counter is never locked across a network call;
 * 2. the provider's checkout for it, outside any transaction;
 * 3. in a second transaction, the checkout on the transaction (reference, URL, the provider's fee),
 *    a notice to the applicant with the link and that fee before paying (Decree 45 Art. 13.7.b),
 *    and the dossier's event.
 * The step then waits: the callback of a successful payment completes it (`completePaidStep`,
 * payment-outcome.ts), once; a failed payment leaves it waiting. A job run again (after a crash, or
 * the provider unreachable) takes up the step's live transaction where it stopped: a checkout
 * asked for again for the same code is the same checkout (the provider deduplicates by code).
 */
export async function startOnlinePayment({ serviceJobId, instanceId, elementId, now, step }: WaitingJobContext): Promise<void> {
  const provider = paymentProvider();
  const payment = await step(async (trx) => (await livePayment(trx, serviceJobId)) ?? requestPayment(trx, { serviceJobId, instanceId, elementId, now, provider: provider.name }));
  if (!payment || payment.checkout_url !== null) return; // the step ended, or its payment is asked for already
  const checkout = await provider.createCheckout({
    transactionCode: payment.code,
    amountVnd: Number(payment.amount_vnd),
    content: payment.content,
    payerName: payment.payer_name,
    ...(payment.payment_deadline ? { expiresAt: payment.payment_deadline.toISOString() } : {}),
    ...(payment.dossier_id ? { returnPath: portalDossierPath(payment.dossier_id) } : {}),
  });
  await step(async (trx) => {
    const updated = await trx('payment_transactions')
      .where({ id: payment.id })
      .whereNull('checkout_url')
      .update({ provider_reference: checkout.reference, checkout_url: checkout.url, service_fee_vnd: checkout.serviceFeeVnd });
    if (updated === 0 || !payment.dossier_id) return;
    const dossier = (await trx<DossierRow>('dossiers').where({ id: payment.dossier_id }).first())!;
    const stepTitle = await stepName(trx, instanceId, elementId);
    const amount = formatVnd(Number(payment.amount_vnd));
    const fee = formatVnd(checkout.serviceFeeVnd);
    const noticeId = await addNotice(trx, {
      accountId: dossier.owner_account_id,
      dossierId: dossier.id,
      kind: 'message',
      subject: { vi: `Hồ sơ ${dossier.code}: nộp phí, lệ phí trực tuyến`, en: `Application ${dossier.code}: pay the fees online` },
      body: {
        vi: `Hồ sơ ${dossier.code} (${dossier.procedure_name}) cần nộp ${amount} (${stepTitle}). Mã giao dịch ${payment.code}. Phí dịch vụ thanh toán của tổ chức cung cấp dịch vụ: ${fee}. Thanh toán tại: ${checkout.url}`,
        en: `Application ${dossier.code} (${dossier.procedure_name}) has ${amount} to pay (${stepTitle}). Transaction code ${payment.code}. The payment provider's service fee: ${fee}. Pay at: ${checkout.url}`,
      },
    }, now);
    await addDossierEvent(trx, dossier.id, JOB_TYPE, 'payment-requested', {
      elementId,
      transactionCode: payment.code,
      amountVnd: Number(payment.amount_vnd),
      serviceFeeVnd: checkout.serviceFeeVnd,
      noticeId,
      text: { vi: `Đã yêu cầu nộp ${amount}, mã giao dịch ${payment.code}`, en: `Payment of ${amount} requested, transaction code ${payment.code}` },
    }, now);
  });
}

/** What the step needs of its payment transaction. */
interface StepPayment {
  id: string;
  code: string;
  content: string;
  amount_vnd: string;
  payer_name: string;
  dossier_id: string | null;
  checkout_url: string | null;
  payment_deadline: Date | null;
}

const STEP_PAYMENT_COLUMNS = ['id', 'code', 'content', 'amount_vnd', 'payer_name', 'dossier_id', 'checkout_url', 'payment_deadline'];

/** Where the payer comes back to after the checkout: their dossier in the portal (designer/src/portal). */
export const portalDossierPath = (dossierId: string) => `/cong-dich-vu?ho-so=${encodeURIComponent(dossierId)}`;

/**
 * The step's payment deadline (Circular 01 Art. 27.1.i; Decree 45 Art. 13.3: set by the law on fees
 * and charges): the model draws it as an interrupting timer boundary event on the payment task,
 * in working time (`qt:workingHours`, the agency's calendar), whose armed timer is read here. When it
 * fires, the engine takes the boundary's path; the provider refuses the checkout from then on.
 */
async function stepDeadline(trx: Knex.Transaction, graph: ProcessGraph, instanceId: string, elementId: string): Promise<Date | undefined> {
  const timers = [...graph.nodes.values()].filter((node) => node.attachedTo === elementId && node.interrupting !== false && node.trigger?.kind === 'timer');
  if (timers.length === 0) return undefined;
  const keys = timers.map((node) => timerJobKey(instanceId, node.id));
  const armed = await trx.raw<{ rows: Array<{ run_at: Date }> }>('select run_at from graphile_worker.jobs where key = any(?::text[]) order by run_at limit 1', [keys]);
  return armed.rows[0]?.run_at;
}

/** The step's payment that has not failed, if it has one. */
function livePayment(trx: Knex.Transaction, serviceJobId: string): Promise<StepPayment | undefined> {
  return trx('payment_transactions').where({ service_job_id: serviceJobId }).whereNotIn('status', ENDED_UNPAID).first<StepPayment | undefined>(STEP_PAYMENT_COLUMNS);
}

/** A new payment transaction for the step's dossier (Circular 01 Art. 27.1–27.4), bound to the step's job. */
async function requestPayment(trx: Knex.Transaction, request: { serviceJobId: string; instanceId: string; elementId: string; now: Date; provider: string }): Promise<StepPayment> {
  const { instanceId, elementId } = request;
  const found = await dossierOfInstance(trx, instanceId);
  if (!found) throw new BusinessError('PAYMENT_NO_DOSSIER', `payment.online at ${elementId} needs a dossier: the instance was started without one`);
  const dossier = (await trx<DossierRow>('dossiers').where({ id: found.id }).first())!;
  const instance = await trx('process_instances').where({ id: instanceId }).first<{ definition_id: string }>('definition_id');
  const { graph } = await compiledDefinition(instance.definition_id, trx);
  const deadline = await stepDeadline(trx, graph, instanceId, elementId);
  const feeVnd = graph.nodes.get(elementId)?.qt.feeVnd;
  if (!feeVnd) throw new BusinessError('PAYMENT_NO_FEE', `payment.online at ${elementId} has no qt:feeVnd: there is nothing to pay`);
  const settings = await loadCollectionSettings(trx, dossier.agency_code);
  if (!settings) {
    throw new QuyTrinhError('unprocessable', 'payment.not-configured', {
      vi: `Cơ quan ${dossier.agency_code} chưa có thiết lập thu phí trực tuyến (tài khoản, mã CITAD): hãy thiết lập rồi thử lại sự cố`,
      en: `Agency ${dossier.agency_code} has no online collection settings (account, CITAD code): set them, then retry the incident`,
    });
  }
  const revenue = revenueFromSettings(settings, {
    revenueIdentifier: dossier.code,
    // A catalogue procedure still without its National Database code carries a local stand-in (docs/payments.md, 27.1.d).
    procedureCode: dossier.procedure_code ?? `local:${dossier.procedure_key}`,
    amountVnd: feeVnd,
    payerName: dossier.applicant_name,
    ...(deadline ? { paymentDeadline: deadline.toISOString() } : {}),
    ...(dossier.applicant_id && PERSONAL_ID.test(dossier.applicant_id) ? { payerTaxId: dossier.applicant_id } : {}),
  });
  const transaction = await createPaymentTransaction(trx, { revenue, settings, provider: request.provider, now: request.now, dossierId: dossier.id });
  await trx('payment_transactions').where({ id: transaction.id }).update({ service_job_id: request.serviceJobId });
  return { id: transaction.id, code: transaction.code, content: transaction.content, amount_vnd: String(revenue.amountVnd), payer_name: revenue.payerName, dossier_id: dossier.id, checkout_url: null, payment_deadline: deadline ?? null };
}
