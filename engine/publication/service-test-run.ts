import { z } from 'zod';
import { addWorkingDays, type WorkingCalendar } from '../calendar/index.ts';
import type { Bilingual } from '../errors.ts';

/**
 * The test run of an online public service after its disclosure (Circular 01/2023 Art. 20):
 * within 05 working days of the disclosure the agency tests the service as a user (Art. 20.2
 * a–dd) and records the tested dossier and service codes; when no test is recorded by then the
 * system stops the disclosure by itself (Art. 20.3). Pure rules; the server keeps the records
 * (server/publications/).
 *
 * Readings chosen (docs/service-test-runs.md):
 * - "Disclosure" is, in this product, the deployment that first opens a procedure to online
 *   applications (its start event carries the application form): that is when the portal offers it.
 * - The 05 working days count from the day after the disclosure (Civil Code 2015 Art. 147, as
 *   every period in days here) on the national working calendar, since the disclosure is national,
 *   and end at the close of office of the 5th working day; from the 6th working day the service is
 *   stopped.
 * - Art. 20.3 stops a service when the agencies "do not perform testing and do not send testing
 *   results": a recorded test stops nothing, whatever its findings; a failed item is shown for
 *   correction (Art. 20.2.b "reported for inspection and adjustment"), it is not a stop.
 */
export const TEST_RUN_WORKING_DAYS = 5;

/** Art. 20.2's contents, in its order: a, b, c, d, dd. */
export const TEST_RUN_ITEMS = ['sso', 'online-submission', 'online-payment', 'processing-and-signature', 'consolidation'] as const;
export type TestRunItem = (typeof TEST_RUN_ITEMS)[number];

export const TEST_RUN_ITEM_TEXT: Record<TestRunItem, Bilingual & { point: string }> = {
  sso: { point: 'a', vi: 'Đăng nhập một lần (SSO) từ Cổng Dịch vụ công quốc gia', en: 'Single sign-on (SSO) from the National Public Service Portal' },
  'online-submission': { point: 'b', vi: 'Nộp hồ sơ trực tuyến', en: 'Online submission of a dossier' },
  'online-payment': { point: 'c', vi: 'Tính liên tục của thanh toán trực tuyến', en: 'Continuity of online payment' },
  'processing-and-signature': { point: 'd', vi: 'Xử lý hồ sơ, đồng bộ trạng thái và hiển thị chữ ký số trên kết quả', en: 'Processing, status synchronisation and the digital signature shown on the result' },
  consolidation: { point: 'đ', vi: 'Tổng hợp kết quả kiểm thử', en: 'Consolidation of the test results' },
};

export const testOutcomeSchema = z.enum(['passed', 'failed', 'not-applicable']);
export type TestOutcome = z.output<typeof testOutcomeSchema>;

/**
 * The code of a public service on the National Public Service Portal: the procedure code's
 * shape (`1.001193.000.00.00.H12`), letters, digits and dots.
 */
export const serviceCodeSchema = z.string().trim().regex(/^[0-9A-Za-z][0-9A-Za-z.-]{2,63}$/, 'a public service code: letters, digits, dots and hyphens, 3–64 characters');

/** What the agency records (Art. 20.2.đ): each item's outcome, the tested dossier and service codes. */
export const testRecordSchema = z.strictObject({
  dossierCode: z.string().trim().min(1).max(64),
  serviceCode: serviceCodeSchema,
  items: z.strictObject(Object.fromEntries(TEST_RUN_ITEMS.map((item) => [item, testOutcomeSchema])) as Record<TestRunItem, typeof testOutcomeSchema>),
  /** Findings to correct, for any item (Art. 20.2.b). */
  notes: z.string().trim().max(2000).optional(),
});
export type TestRecord = z.output<typeof testRecordSchema>;

/** The close of office of the 5th working day after the disclosure. */
export function testRunDueAt(calendar: WorkingCalendar, publishedAt: Date): Date {
  return addWorkingDays(calendar, publishedAt, TEST_RUN_WORKING_DAYS);
}

export type PublicationStatus = 'testing' | 'tested' | 'stopped';

/** Art. 20.3: stopped once the due time has passed with no test recorded. */
export function publicationStatus(publication: { dueAt: Date; testedAt: Date | null }, now: Date): PublicationStatus {
  if (publication.testedAt) return 'tested';
  return now.getTime() > publication.dueAt.getTime() ? 'stopped' : 'testing';
}

/**
 * Which outcomes a record may hold. Payment (c) may be "not applicable" only for a procedure
 * that takes no online payment; Art. 20.2.c asks the others to check it. SSO (a), submission
 * (b), processing (d) and consolidation (đ) apply to every online service.
 */
export function recordProblems(record: TestRecord, takesOnlinePayment: boolean): Array<{ field: string; text: Bilingual }> {
  const problems: Array<{ field: string; text: Bilingual }> = [];
  for (const item of TEST_RUN_ITEMS) {
    if (record.items[item] !== 'not-applicable') continue;
    if (item === 'online-payment' && !takesOnlinePayment) continue;
    problems.push({
      field: `body.items.${item}`,
      text: item === 'online-payment'
        ? { vi: 'Thủ tục có thanh toán trực tuyến: phải kiểm thử thanh toán (Thông tư 01/2023 Điều 20.2.c)', en: 'The procedure takes online payment: payment must be tested (Circular 01/2023 Art. 20.2.c)' }
        : { vi: `Mục ${TEST_RUN_ITEM_TEXT[item].point} áp dụng cho mọi dịch vụ công trực tuyến (Thông tư 01/2023 Điều 20.2)`, en: `Item ${TEST_RUN_ITEM_TEXT[item].point} applies to every online public service (Circular 01/2023 Art. 20.2)` },
    });
  }
  return problems;
}
