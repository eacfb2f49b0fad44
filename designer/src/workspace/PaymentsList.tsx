import { paymentReceiptUrl, type DossierPayments } from '../dossier-payments.ts';
import { formatDateTime, formatVnd } from '../format.ts';
import type { Language } from '../i18n.ts';
import { workspaceText, type WorkspaceMessage } from './messages.ts';

/**
 * The dossier's payments as the agency's officials read them (docs/payments.md): code, amount, the
 * provider's fee, the status in Circular 01 Art. 28.1.a's words, and the signed receipt once paid.
 * Read-only: paying and paying again are the applicant's.
 */
export function PaymentsList({ dossierId, payments, language }: { dossierId: string; payments: DossierPayments; language: Language }) {
  const t = (key: WorkspaceMessage) => workspaceText(language, key);
  return (
    <table className="ws-table" data-testid="dossier-payments">
      <thead>
        <tr>
          <th scope="col">{t('transactionCode')}</th>
          <th scope="col">{t('paymentAmount')}</th>
          <th scope="col">{t('paymentStatus')}</th>
          <th scope="col">{t('paymentCreated')}</th>
          <th scope="col">{t('paymentReceipt')}</th>
        </tr>
      </thead>
      <tbody>
        {payments.items.map((payment) => (
          <tr key={payment.code}>
            <td className="ws-code">{payment.code}</td>
            <td>
              {formatVnd(payment.amountVnd, language)}
              {payment.serviceFeeVnd !== null ? <span className="muted"> (+{formatVnd(payment.serviceFeeVnd, language)})</span> : null}
            </td>
            <td>{payment.statusText[language]}</td>
            <td>{formatDateTime(payment.createdAt)}</td>
            <td>
              {payment.paid ? (
                <a href={paymentReceiptUrl(dossierId, payment.code)} target="_blank" rel="noopener">
                  PDF
                </a>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
