import { useState } from 'react';
import { formatDateTime, formatVnd } from '../format.ts';
import type { Language } from '../i18n.ts';
import { portalText, type PortalMessageKey } from './messages.ts';
import { paymentReceiptUrl } from '../dossier-payments.ts';
import { portalApi, type Dossier, type DossierPayments } from './portal-api.ts';
import { refusalOf, type Refusal } from './refusal.ts';
import { Failure } from './SubmitTab.tsx';

/**
 * The dossier's fees as the applicant pays them (Decree 45 Art. 13; docs/payments.md "The payer's
 * side"): each transaction with its code, amount, the provider's fee shown before paying (Art.
 * 13.7.b) and its status in the words of Circular 01 Art. 28.1; the way to the provider's checkout
 * while one is open, a new attempt after a failure, the signed receipt once paid (Art. 13.4).
 */
export function PaymentsSection({ language, dossier, payments, onChanged }: { language: Language; dossier: Dossier; payments: DossierPayments; onChanged: () => Promise<unknown> }) {
  const t = (key: PortalMessageKey, values?: Record<string, string | number>) => portalText(language, key, values);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Refusal | undefined>();
  if (payments.items.length === 0) return null;

  const retry = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await portalApi.retryPayment(language, dossier.id);
      // The new transaction is asked for by the step's job: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 800));
      await onChanged();
    } catch (error) {
      setFailure(refusalOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="portal-payments" aria-labelledby="portal-payments-title" data-testid="payments">
      <h3 id="portal-payments-title">{t('paymentsTitle')}</h3>
      <ul className="portal-payment-list">
        {payments.items.map((payment) => (
          <li key={payment.code} className={`portal-payment portal-payment-${payment.paid ? 'paid' : payment.checkoutUrl ? 'open' : 'ended'}`} data-testid="payment">
            <dl className="portal-facts">
              <dt>{t('transactionCode')}</dt>
              <dd className="portal-code">{payment.code}</dd>
              <dt>{t('amount')}</dt>
              <dd>{formatVnd(payment.amountVnd, language)}</dd>
              {payment.serviceFeeVnd !== null ? (
                <>
                  <dt>{t('serviceFee')}</dt>
                  <dd>{formatVnd(payment.serviceFeeVnd, language)}</dd>
                </>
              ) : null}
              <dt>{t('paymentStatus')}</dt>
              <dd data-testid="payment-status">{payment.statusText[language]}</dd>
              {payment.paymentDeadline ? (
                <>
                  <dt>{t('paymentDeadline')}</dt>
                  <dd>{formatDateTime(payment.paymentDeadline)}</dd>
                </>
              ) : null}
            </dl>
            <p className="portal-actions">
              {payment.checkoutUrl ? (
                <a className="button primary" href={payment.checkoutUrl} data-testid="pay">
                  {t('payNow')}
                </a>
              ) : null}
              {payment.paid ? (
                <a className="button" href={paymentReceiptUrl(dossier.id, payment.code)} target="_blank" rel="noopener" data-testid="payment-receipt">
                  {t('paymentReceipt')}
                </a>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      {payments.canRetry ? (
        <p className="portal-actions portal-payment-retry" role="status">
          <span>{t('paymentFailedExplain')}</span>
          <button type="button" className="primary" disabled={busy} onClick={() => void retry()} data-testid="retry-payment">
            {busy ? t('retryingPayment') : t('retryPayment')}
          </button>
        </p>
      ) : null}
      {failure ? <Failure language={language} refusal={failure} /> : null}
    </section>
  );
}
