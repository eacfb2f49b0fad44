import type { Knex } from 'knex';
import { REVENUE_KIND_DIGITS, makePaymentContent, type RevenueKind } from '../../engine/codes/transaction-code.ts';
import { parseRevenue, type CollectionSettings, type Revenue } from '../../engine/payments/revenue.ts';
import type { SettlementStatus, TransactionStatus } from '../../engine/payments/transaction-status.ts';
import { nextTransactionCode } from './transaction-codes.ts';

export interface PaymentTransaction {
  id: string;
  dossierId: string | null;
  code: string;
  content: string;
  revenue: Revenue;
  status: TransactionStatus;
  settlementStatus: SettlementStatus;
  provider: string;
  serviceFeeVnd: number | null;
  createdAt: Date;
}

export interface NewPaymentTransaction {
  /** Validated again here: whatever built it, a transaction is never stored without its full revenue data (Art. 27.2). */
  revenue: Revenue;
  /** Who issues the code: the Portal, or the collecting agency where its settings say so (Art. 27.5). */
  settings: Pick<CollectionSettings, 'agencyCode' | 'issuesOwnTransactionCodes'>;
  provider: string;
  now: Date;
  dossierId?: string | undefined;
  kind?: RevenueKind | undefined;
  /** The provider's fee shown to the payer before paying (Decree 45 Art. 13.7.b), when it is known. */
  serviceFeeVnd?: number | undefined;
}

/**
 * Records a payment request as a transaction in status `initiated` (Circular 01 Art. 28.1.a), with
 * its code (Art. 27.4–27.5), the payment order's content (Art. 27.3) and every revenue field. The
 * code is taken last but for the insert, so the day's counter row is locked only briefly.
 */
export async function createPaymentTransaction(trx: Knex.Transaction, request: NewPaymentTransaction): Promise<PaymentTransaction> {
  const revenue = parseRevenue(request.revenue);
  const issuer = request.settings.issuesOwnTransactionCodes ? request.settings.agencyCode : undefined;
  const kind = request.kind ?? 'procedure-fees';
  const code = await nextTransactionCode(trx, kind, request.now, issuer);
  const content = makePaymentContent({ ...revenue, transactionCode: code });
  const [stored] = await trx('payment_transactions')
    .insert({
      dossier_id: request.dossierId ?? null,
      code,
      kind: REVENUE_KIND_DIGITS[kind],
      content,
      revenue_identifier: revenue.revenueIdentifier,
      collecting_agency_code: revenue.collectingAgencyCode,
      collecting_agency_name: revenue.collectingAgencyName,
      procedure_code: revenue.procedureCode,
      fee_code: revenue.feeCode ?? null,
      amount_vnd: revenue.amountVnd,
      currency: revenue.currency,
      payer_name: revenue.payerName,
      payer_tax_id: revenue.payerTaxId ?? null,
      payment_deadline: revenue.paymentDeadline ?? null,
      citad_code: revenue.citadCode,
      account_number: revenue.accountNumber,
      account_name: revenue.accountName,
      sector_fields: JSON.stringify(revenue.sectorFields),
      service_fee_vnd: request.serviceFeeVnd ?? null,
      provider: request.provider,
      created_at: request.now,
      status_changed_at: request.now,
    })
    .returning<Array<{ id: string; status: TransactionStatus; settlement_status: SettlementStatus; created_at: Date }>>(['id', 'status', 'settlement_status', 'created_at']);
  return {
    id: stored!.id,
    dossierId: request.dossierId ?? null,
    code,
    content,
    revenue,
    status: stored!.status,
    settlementStatus: stored!.settlement_status,
    provider: request.provider,
    serviceFeeVnd: request.serviceFeeVnd ?? null,
    createdAt: stored!.created_at,
  };
}
