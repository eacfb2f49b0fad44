import { expect } from 'vitest';
import { revenueFromSettings, type CollectionSettings } from '../../engine/payments/revenue.ts';
import type { Database } from '../../server/db/connect.ts';
import { saveCollectionSettings } from '../../server/payments/collection-settings.ts';
import type { PaymentProvider } from '../../server/payments/provider.ts';
import type { PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { createPaymentTransaction } from '../../server/payments/transactions.ts';

/** An agency's collection settings, as an administrator would save them (docs/payments.md). */
export function saveTestCollectionSettings(db: Database, agencyCode: string, agencyName: string): Promise<CollectionSettings> {
  return db.transaction((trx) => saveCollectionSettings(trx, {
    agencyCode,
    agencyName,
    accountNumber: '3511.0.1234567',
    accountName: `${agencyName} thu phí, lệ phí`,
    citadCode: '01701001',
    bankName: 'Kho bạc Nhà nước khu vực I',
    feeCodes: [],
  }, 'test'));
}

let dossiers = 0;

/**
 * A transaction of the settings' agency with the sandbox provider, paid by pressing "Thanh toán"
 * on the sandbox's checkout (its signed callbacks reach the product's callback route) unless
 * `paid` is false.
 */
export async function sandboxTransaction(db: Database, sandbox: PaymentSandbox, provider: PaymentProvider, settings: CollectionSettings, amountVnd: number, paid = true): Promise<{ id: string; code: string }> {
  const revenue = revenueFromSettings(settings, { revenueIdentifier: `${settings.agencyCode}-261206-${String(++dossiers).padStart(4, '0')}`, procedureCode: '1.001193', amountVnd, payerName: 'Nguyễn Thị An' });
  const created = await db.transaction((trx) => createPaymentTransaction(trx, { revenue, settings, provider: provider.name, now: new Date() }));
  if (!paid) return created;
  const checkout = await provider.createCheckout({ transactionCode: created.code, amountVnd, content: created.content, payerName: 'Nguyễn Thị An' });
  await db('payment_transactions').where({ id: created.id }).update({ provider_reference: checkout.reference, checkout_url: checkout.url });
  const response = await fetch(`${sandbox.url}/checkout/${checkout.reference}/pay`, { method: 'POST' });
  expect(response.status).toBe(200);
  await sandbox.idle();
  expect((await db('payment_transactions').where({ id: created.id }).first<{ status: string }>('status')).status).toBe('payment-succeeded');
  return created;
}
