import { sandboxRefundClient } from './refund-client.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { vietnamDateOf } from '../../../engine/calendar/index.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';
import type { StatusReport } from '../../../engine/payments/transaction-status.ts';
import type { Checkout, CheckoutRequest, PaymentProvider, ProviderCallback, StatementEntry } from '../provider.ts';
import { providerError, SIGNATURE_HEADER, signBody, signatureMatches, verifiedNotification } from './signature.ts';

/** The sandbox service's callback body (server/payments/sandbox/service.ts): a step of Art. 28.1.a, or the settlement of Art. 28.1.b. */
const callbackBase = z.object({
  eventId: z.string().min(1).max(200),
  checkoutId: z.string().min(1).max(200),
  transactionCode: z.string().min(1).max(100),
});
const callbackSchema = z.union([
  callbackBase.extend({ status: z.enum(['processing', 'payment-succeeded', 'payment-failed', 'transaction-succeeded', 'transaction-failed']) }),
  callbackBase.extend({ settlement: z.enum(['success', 'failure']) }),
]);

const checkoutSchema = z.object({ id: z.string().min(1), url: z.url(), serviceFeeVnd: z.number().int().min(0) });

const entrySchema = z.object({
  transactionCode: z.string().min(1).max(100),
  reference: z.string().min(1).max(200),
  amountVnd: z.number().int('a whole number of đồng').min(0),
  serviceFeeVnd: z.number().int('a whole number of đồng').min(0),
  status: z.enum(['paid', 'failed'], { error: 'paid or failed' }),
  at: z.iso.datetime({ offset: true, error: 'an ISO 8601 moment such as 2026-12-05T09:30:00+07:00' }),
  content: z.string().max(500).optional(),
});
const statementSchema = z.object({ day: z.string().optional(), entries: z.array(entrySchema).max(1_000_000) });

/** The columns of a CSV statement file, in this order on its first line (`content` may be left out). */
export const STATEMENT_CSV_COLUMNS = ['transactionCode', 'reference', 'amountVnd', 'serviceFeeVnd', 'status', 'at', 'content'] as const;

function statementInvalid(fileName: string, details: Array<{ field: string; message: string }>): QuyTrinhError {
  return new QuyTrinhError('invalid-input', 'payment.statement-invalid', {
    vi: `Tệp sao kê ${fileName} không đúng định dạng (JSON hoặc CSV như docs/payments.md mô tả)`,
    en: `The statement file ${fileName} is malformed (JSON or CSV as docs/payments.md describes)`,
  }, details);
}

/** A CSV statement's lines as the JSON form's entries: comma-separated, no quoting (no field of a statement holds a comma). */
function csvEntries(contents: string, fileName: string): unknown[] {
  const lines = contents.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((name) => name.trim());
  const expected = STATEMENT_CSV_COLUMNS.slice(0, header.length);
  if (header.length < 6 || header.some((name, index) => name !== expected[index])) {
    throw statementInvalid(fileName, [{ field: 'statement.line 1', message: `the header must be ${STATEMENT_CSV_COLUMNS.slice(0, 6).join(',')}[,content]` }]);
  }
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== header.length || line.includes('"')) throw statementInvalid(fileName, [{ field: `statement.line ${index + 2}`, message: `${header.length} fields separated by commas, without quotes` }]);
    const entry: Record<string, unknown> = Object.fromEntries(header.map((name, column) => [name, cells[column]]));
    for (const amount of ['amountVnd', 'serviceFeeVnd']) entry[amount] = /^\d{1,15}$/.test(String(entry[amount])) ? Number(entry[amount]) : entry[amount];
    if (entry.content === '') delete entry.content;
    return entry;
  });
}

/**
 * A statement file of `day` (docs/payments.md "Statement files"): the JSON the sandbox's
 * `GET /statements/:day` answers (`{day, entries}`), or CSV with the header
 * `transactionCode,reference,amountVnd,serviceFeeVnd,status,at[,content]`. Every line must have been
 * completed on `day`, Vietnam time: a file of another day would report the whole day missing.
 */
export function parseStatementFile(day: string, contents: string, fileName: string): StatementEntry[] {
  let value: unknown;
  if (/\.json$/i.test(fileName) || contents.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(contents);
    } catch (error) {
      throw statementInvalid(fileName, [{ field: 'statement', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` }]);
    }
  } else {
    value = { entries: csvEntries(contents, fileName) };
  }
  const parsed = statementSchema.safeParse(value);
  if (!parsed.success) throw statementInvalid(fileName, parsed.error.issues.map((issue) => ({ field: `statement.${issue.path.join('.')}`, message: issue.message })));
  if (parsed.data.day !== undefined && parsed.data.day !== day) throw statementInvalid(fileName, [{ field: 'statement.day', message: `the statement is of ${parsed.data.day}, not ${day}` }]);
  const otherDay = parsed.data.entries.findIndex((entry) => vietnamDateOf(new Date(entry.at)) !== day);
  if (otherDay >= 0) throw statementInvalid(fileName, [{ field: `statement.entries.${otherDay}.at`, message: `completed on another day than ${day} (Vietnam time)` }]);
  return parsed.data.entries;
}

/** The adapter of the sandbox provider, at `url`, sharing `secret` with it. */
export function sandboxProvider(settings: { url: string; secret: string }): PaymentProvider {
  const base = settings.url.replace(/\/+$/, '');
  return {
    name: 'sandbox',
    ...sandboxRefundClient(settings),

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      const body = JSON.stringify(request);
      const response = await fetch(`${base}/checkouts`, { method: 'POST', headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(settings.secret, body) }, body }).catch((error: unknown) => {
        throw providerError(`POST /checkouts: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      const text = await response.text();
      if (response.status !== 201 && response.status !== 200) throw providerError(`POST /checkouts ${response.status} ${text.slice(0, 200)}`);
      const checkout = checkoutSchema.parse(JSON.parse(text));
      return { reference: checkout.id, url: checkout.url, serviceFeeVnd: checkout.serviceFeeVnd };
    },

    verifyCallback(rawBody: Buffer, headers: IncomingHttpHeaders): ProviderCallback {
      const { body, payload } = verifiedNotification(settings.secret, rawBody, headers, callbackSchema, { vi: 'Thông báo thanh toán', en: 'payment notification' });
      const { eventId, checkoutId, transactionCode } = body;
      const report: StatusReport = 'status' in body ? { type: 'transaction', status: body.status } : { type: 'settlement', status: body.settlement };
      return { eventId, transactionCode, reference: checkoutId, report, payload };
    },

    async readStatement(day: string): Promise<StatementEntry[]> {
      const path = `/statements/${encodeURIComponent(day)}`;
      const response = await fetch(`${base}${path}`, { headers: { [SIGNATURE_HEADER]: signBody(settings.secret, `GET ${path}`) } }).catch((error: unknown) => {
        throw providerError(`GET ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      const raw = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) throw providerError(`GET ${path} ${response.status}`);
      if (!signatureMatches(settings.secret, raw, response.headers.get(SIGNATURE_HEADER) ?? '')) throw providerError(`GET ${path}: the statement's signature does not match`);
      return statementSchema.parse(JSON.parse(raw.toString('utf8'))).entries;
    },

    readStatementFile: parseStatementFile,
  };
}
