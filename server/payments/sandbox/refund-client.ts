import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { QuyTrinhError } from '../../../engine/errors.ts';
import type { PaymentProvider, ProviderRefund, ProviderRefundCallback, RefundRequest } from '../provider.ts';
import { providerError, SIGNATURE_HEADER, signBody, verifiedNotification } from './signature.ts';

/**
 * The refund half of the sandbox adapter (Circular 01 Art. 30.2.c; docs/payments.md "Refunds"):
 * `POST /refunds` signed as `POST /checkouts` is, and the sandbox's signed refund callbacks read.
 * Spread into the adapter (`sandboxProvider` in adapter.ts) beside its payment methods.
 */

const refundCallbackSchema = z.object({
  eventId: z.string().min(1).max(200),
  refundId: z.string().min(1).max(200),
  reference: z.string().min(1).max(200),
  status: z.enum(['succeeded', 'failed']),
});

const refundAnswerSchema = z.object({ id: z.string().min(1).max(200) });

export function sandboxRefundClient(settings: { url: string; secret: string }): Required<Pick<PaymentProvider, 'createRefund' | 'verifyRefundCallback'>> {
  const base = settings.url.replace(/\/+$/, '');
  return {
    async createRefund(request: RefundRequest): Promise<ProviderRefund> {
      const body = JSON.stringify({ refundId: request.refundId, transactionCode: request.transactionCode, checkoutId: request.checkoutReference, amountVnd: request.amountVnd, reason: request.reason });
      const response = await fetch(`${base}/refunds`, { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(settings.secret, body) }, body }).catch((error: unknown) => {
        throw providerError(`POST /refunds: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      const text = await response.text();
      if (response.status === 409) {
        // The provider refuses the refund itself (nothing paid there, or more than is left): not a fault to retry.
        throw new QuyTrinhError('conflict', 'payment.refund-refused-by-provider', { vi: `Nhà cung cấp dịch vụ thanh toán từ chối lệnh hoàn trả: ${text.slice(0, 200)}`, en: `The payment provider refused the refund order: ${text.slice(0, 200)}` });
      }
      if (response.status !== 201 && response.status !== 200) throw providerError(`POST /refunds ${response.status} ${text.slice(0, 200)}`);
      return { reference: refundAnswerSchema.parse(JSON.parse(text)).id };
    },

    verifyRefundCallback(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderRefundCallback {
      const { body, payload } = verifiedNotification(settings.secret, rawBody, headers, refundCallbackSchema, { vi: 'Thông báo hoàn trả', en: 'refund notification' });
      const { eventId, refundId, reference, status } = body;
      return { eventId, refundId, reference, outcome: status, payload };
    },
  };
}
