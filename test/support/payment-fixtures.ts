/** Payments made through the real sandbox provider on loopback, for the reconciliation and accountant tests. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { parseCollectionSettings, revenueFromSettings, type CollectionSettings } from '../../engine/payments/revenue.ts';
import type { Database } from '../../server/db/connect.ts';
import { saveCollectionSettings } from '../../server/payments/collection-settings.ts';
import { usePaymentProvider, type PaymentProvider } from '../../server/payments/provider.ts';
import { sandboxProvider } from '../../server/payments/sandbox/adapter.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../server/payments/sandbox/service.ts';
import { createPaymentTransaction } from '../../server/payments/transactions.ts';

export function collectionSettingsOf(agency: { code: string; name: string }): CollectionSettings {
  return parseCollectionSettings({
    agencyCode: agency.code,
    agencyName: agency.name,
    accountNumber: '3511.0.1234567',
    accountName: `${agency.name} thu phí, lệ phí`,
    citadCode: '01701001',
    bankName: 'Kho bạc Nhà nước khu vực I',
    feeCodes: [{ procedureCode: '1.001193', feeCode: '2.1.1' }],
  });
}

export interface SandboxPayments {
  sandbox: PaymentSandbox;
  provider: PaymentProvider;
  /** A transaction of `agency` with its sandbox checkout, paid or declined on the checkout page (or left unpaid). */
  pay(agency: { code: string; name: string }, amountVnd: number, outcome: 'pay' | 'decline' | 'none'): Promise<{ id: string; code: string; reference: string }>;
  /** The checkout page's button pressed, the sandbox's notifications delivered. */
  press(checkoutUrl: string, button: 'pay' | 'decline'): Promise<string>;
  close(): Promise<void>;
}

let sequence = 0;

/**
 * The sandbox provider sending its callbacks to `apiUrl`'s callback route, made the provider in
 * use, and agencies' collection settings saved.
 */
/** The payer presses a button of the sandbox's checkout page (its form posts), and the sandbox has sent its notifications; the page answered. */
export async function pressCheckout(sandbox: PaymentSandbox, checkoutUrl: string, button: 'pay' | 'decline'): Promise<string> {
  const page = await (await fetch(checkoutUrl)).text();
  const action = new RegExp(`<form method="post" action="([^"]+/${button})"`).exec(page)?.[1];
  expect(action, `the page has a ${button} button`).toBeDefined();
  const response = await fetch(new URL(action!, checkoutUrl), { method: 'POST' });
  expect(response.status).toBe(200);
  await sandbox.idle();
  return response.text();
}

export async function sandboxPayments(db: Database, apiUrl: string, agencies: Array<{ code: string; name: string }>): Promise<SandboxPayments> {
  const secret = `sandbox-secret-${randomUUID()}`;
  const sandbox = await startPaymentSandbox({ secret, callbackUrl: `${apiUrl}/api/payments/callbacks/sandbox` });
  const provider = sandboxProvider({ url: sandbox.url, secret });
  usePaymentProvider(provider);
  for (const agency of agencies) await db.transaction((trx) => saveCollectionSettings(trx, collectionSettingsOf(agency), 'test'));

  const press = (checkoutUrl: string, button: 'pay' | 'decline') => pressCheckout(sandbox, checkoutUrl, button);

  return {
    sandbox,
    provider,
    press,
    async pay(agency, amountVnd, outcome) {
      const revenueIdentifier = `${agency.code}-261205-${String(++sequence).padStart(4, '0')}`;
      const transaction = await db.transaction((trx) => createPaymentTransaction(trx, {
        revenue: revenueFromSettings(collectionSettingsOf(agency), { revenueIdentifier, procedureCode: '1.001193', amountVnd, payerName: 'Nguyễn Thị An' }),
        settings: { agencyCode: agency.code, issuesOwnTransactionCodes: false },
        provider: provider.name,
        now: new Date(),
      }));
      const checkout = await provider.createCheckout({ transactionCode: transaction.code, amountVnd, content: transaction.content, payerName: 'Nguyễn Thị An' });
      await db('payment_transactions').where({ id: transaction.id }).update({ provider_reference: checkout.reference, checkout_url: checkout.url, service_fee_vnd: checkout.serviceFeeVnd });
      if (outcome !== 'none') await press(checkout.url, outcome);
      return { id: transaction.id, code: transaction.code, reference: checkout.reference };
    },
    close: () => sandbox.close(),
  };
}
