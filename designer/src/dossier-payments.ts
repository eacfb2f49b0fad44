/** A dossier's payments as the dossier API gives them (server/payments/dossier-payments.ts; docs/payments.md "The payer's side"). */
export interface DossierPayments {
  items: Array<{
    code: string;
    amountVnd: number;
    serviceFeeVnd: number | null;
    status: string;
    /** The status in the words of Circular 01 Art. 28.1.a. */
    statusText: { vi: string; en: string };
    paid: boolean;
    /** The provider's checkout, while the step waits for this transaction. */
    checkoutUrl: string | null;
    paymentDeadline: string | null;
    createdAt: string;
  }>;
  canRetry: boolean;
}

/** The signed electronic receipt of a paid transaction (Decree 45 Art. 13.4). */
export const paymentReceiptUrl = (dossierId: string, code: string) => `/api/dossiers/${encodeURIComponent(dossierId)}/payments/${encodeURIComponent(code)}/receipt.pdf`;
