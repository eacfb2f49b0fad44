/**
 * A dossier's notices and results printed to PDF (Decree 45 Art. 18: an electronic dossier or
 * result converted into a paper document), A4 portrait with the margins of administrative
 * documents (Decree 30/2020 App. I: 20 mm top and bottom, 30 mm left, 15 mm right).
 *
 * Every page one carries, top left, the QR code of Circular 01 Art. 26 (qr-payload.ts) as vector
 * squares with its caption; beside it the agency and the national header; then the title, the
 * dossier code, the procedure and the applicant, and what the kind of document says. Every page
 * names the system it was printed from and the address where it can be looked up (Art. 18.2.b,
 * 18.2.c and 18.2.dd). The text is Vietnamese, moments in Vietnam time.
 */
import PDFDocument from 'pdfkit';
import {
  checkDossierDocument,
  documentCode,
  documentName,
  lookupUrl,
  publishedAt,
  tidy,
  type AmendmentGuidance,
  type DossierDocument,
  type PaymentReceipt,
  type ReceiptNotice,
  type RefusalNotice,
  type ResultDocument,
} from './dossier-document.ts';
import { pdfBytes, registerPdfFonts, type PdfFont } from './pdf-document.ts';
import { qrPayload, SYSTEM_NAME } from './qr-payload.ts';
import { drawQrSymbol, QUIET_ZONE_MODULES } from './qr-symbol.ts';
import { vietnamDate, vietnamMoment, vietnamSigningTime } from './vietnam-time.ts';
import { formatVnd } from '../../engine/payments/money.ts';

const MM = 72 / 25.4;
const MARGIN = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
/** Room kept under the bottom margin for the footer. */
const FOOTER_ROOM = 24;
/** The QR's side: 2.5 cm, up to QR version 11 (61 modules); beyond, modules of 0.4 mm make it a little larger. */
const QR_SIZE = 25 * MM;
const QR_MIN_MODULE = 0.4 * MM;
const COLOURS = { text: '#000000', muted: '#555555', rule: '#999999', annulled: '#c0001a', signature: '#1d3f8f' };
const LAW = 'Nghị định số 45/2020/NĐ-CP';

type Pdf = InstanceType<typeof PDFDocument>;

/**
 * The visible digital signature (Decree 45 Art. 14.3.b; the information of Decree 30/2020 App. I:
 * the signer, the agency, the signing time to the second in Vietnam's zone): drawn in a box at the
 * bottom right of page one, the place of the signature on an administrative document, where the
 * signature's widget is put (SIGNATURE_WIDGET_RECT), so that a PDF reader opens the signature there.
 */
export interface SignatureAppearance {
  /** The certificate's common name. */
  signerName: string;
  agency: { code: string; name: string };
  signedAt: Date;
  /**
   * The approver's name (their personal certificate's common name) when the result is signed
   * twice: the competent person's signature, then the agency's (Decree 30/2020 practice,
   * docs/signatures.md). Their box is drawn above the agency's, where APPROVER_WIDGET_RECT is.
   */
  approverName?: string;
}

const A4 = { width: 595.28, height: 841.89 };
const SIGNATURE_BOX = { width: 262, height: 66 };
/** The box's top-left corner in pdfkit's coordinates (origin top left), just above the footer of page one. */
const SIGNATURE_AT = { x: A4.width - MARGIN.right - SIGNATURE_BOX.width, y: A4.height - MARGIN.bottom - FOOTER_ROOM - SIGNATURE_BOX.height - 6 };
/** The approver's box, just above the agency's. */
const APPROVER_AT = { x: SIGNATURE_AT.x, y: SIGNATURE_AT.y - SIGNATURE_BOX.height - 6 };
/** A box as the signature widget's /Rect: PDF user space, origin bottom left. */
const widgetRect = (at: { x: number; y: number }): [number, number, number, number] => [at.x, A4.height - at.y - SIGNATURE_BOX.height, at.x + SIGNATURE_BOX.width, A4.height - at.y];
/** The agency's signature box as its widget's /Rect. */
export const SIGNATURE_WIDGET_RECT = widgetRect(SIGNATURE_AT);
/** The approver's signature box as its widget's /Rect. */
export const APPROVER_WIDGET_RECT = widgetRect(APPROVER_AT);

/** Prints a receipt notice, an amendment guidance, a refusal or a result (annulled or not), with its visible signature when `signature` is given. */
export async function printDossierDocument(input: DossierDocument, signature?: SignatureAppearance): Promise<Buffer> {
  checkDossierDocument(input);
  const name = documentName(input);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { ...MARGIN, bottom: MARGIN.bottom + FOOTER_ROOM },
    bufferPages: true,
    lang: 'vi-VN',
    info: { Title: name, Author: SYSTEM_NAME, Subject: `${documentCode(input)} — ${tidy(input.dossier.procedure.name)}`, CreationDate: publishedAt(input) },
  });
  registerPdfFonts(pdf);
  const bytes = pdfBytes(pdf);

  const page = new Page(pdf);
  // Page one's text stops above the signature box (boxes, with an approver's).
  if (signature) pdf.page.margins.bottom += (SIGNATURE_BOX.height + 6) * (signature.approverName === undefined ? 1 : 2) + 6;
  page.header(input, name);
  page.identification(input);
  switch (input.kind) {
    case 'receipt':
      receiptBody(page, input);
      break;
    case 'amendment':
      amendmentBody(page, input);
      break;
    case 'refusal':
      refusalBody(page, input);
      break;
    case 'result':
      resultBody(page, input);
      break;
    case 'payment-receipt':
      paymentReceiptBody(page, input);
      break;
  }
  if (signature) page.signature(signature);
  page.footers(lookupUrl(input));
  pdf.end();
  return await bytes;
}

/** The drawing primitives of one document: paragraphs, labelled lines and numbered lists that flow across pages. */
class Page {
  readonly width: number;

  constructor(readonly pdf: Pdf) {
    this.width = pdf.page.width - MARGIN.left - MARGIN.right;
  }

  use(font: PdfFont, size: number, colour = COLOURS.text): Pdf {
    return this.pdf.font(font).fontSize(size).fillColor(colour);
  }

  paragraph(text: string, font: PdfFont = 'regular', size = 11, align: 'left' | 'center' = 'left', colour = COLOURS.text): void {
    this.use(font, size, colour).text(tidy(text), MARGIN.left, this.pdf.y, { width: this.width, align, lineGap: 2 });
  }

  /** "Label: value", the label bold. */
  field(label: string, value: string): void {
    this.use('bold', 11).text(`${label}: `, MARGIN.left, this.pdf.y, { width: this.width, continued: true, lineGap: 2 });
    this.use('regular', 11).text(tidy(value), { lineGap: 2 });
  }

  /** Items numbered 1., 2., … with a hanging indent; an item starts on the page it fits on. */
  numbered(items: string[]): void {
    const indent = 20;
    items
      .map(tidy)
      .filter((item) => item !== '')
      .forEach((item, index) => {
        this.use('regular', 11);
        const height = this.pdf.heightOfString(item, { width: this.width - indent, lineGap: 2 });
        if (this.pdf.y + height > this.bottom() && this.pdf.y > MARGIN.top) this.pdf.addPage();
        const y = this.pdf.y;
        this.pdf.text(`${index + 1}.`, MARGIN.left + 6, y, { width: indent, lineBreak: false });
        this.pdf.text(item, MARGIN.left + indent, y, { width: this.width - indent, lineGap: 2 });
        this.pdf.y += 2;
      });
  }

  gap(lines = 0.6): void {
    this.pdf.moveDown(lines);
  }

  bottom(): number {
    return this.pdf.page.height - this.pdf.page.margins.bottom;
  }

  /**
   * The QR top left (Circular 01 Art. 26.2) with its quiet zone kept clear and a caption under it;
   * to its right the issuing agency and the national header; then the date and the title.
   */
  header(input: DossierDocument, name: string): void {
    const { pdf } = this;
    const qr = drawQrSymbol(pdf, qrPayload(input), MARGIN.left, MARGIN.top, QR_SIZE, QR_MIN_MODULE);
    const quietZone = QUIET_ZONE_MODULES * qr.moduleSize;
    this.use('regular', 6.5, COLOURS.muted).text('Quét mã để tra cứu', MARGIN.left, MARGIN.top + qr.size + quietZone + 2, { width: qr.size, align: 'center' });
    const qrBottom = pdf.y;

    const left = MARGIN.left + qr.size + Math.max(quietZone, 12);
    const room = MARGIN.left + this.width - left;
    const agencyWidth = Math.round(room * 0.42);
    const nationWidth = room - agencyWidth;

    this.use('bold', 10).text(tidy(input.dossier.agency.name).toUpperCase(), left, MARGIN.top, { width: agencyWidth - 6, align: 'center' });
    const agencyRuleY = pdf.y + 3;
    this.rule(left + agencyWidth / 2 - 30, agencyRuleY, 60);

    const nationLeft = left + agencyWidth;
    const republic = 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM';
    const republicSize = [11, 10.5, 10, 9.5, 9].find((size) => this.use('bold', size).widthOfString(republic) <= nationWidth) ?? 9;
    this.use('bold', republicSize).text(republic, nationLeft, MARGIN.top, { width: nationWidth, align: 'center', lineBreak: false });
    const motto = 'Độc lập - Tự do - Hạnh phúc';
    this.use('bold', republicSize + 0.5).text(motto, nationLeft, pdf.y + 2, { width: nationWidth, align: 'center', lineBreak: false });
    const mottoWidth = pdf.widthOfString(motto);
    this.rule(nationLeft + (nationWidth - mottoWidth) / 2, pdf.y + 3, mottoWidth);
    this.use('italic', 10).text(`Ngày ${vietnamDate(publishedAt(input))}`, nationLeft, pdf.y + 12, { width: nationWidth, align: 'center' });

    pdf.y = Math.max(qrBottom, agencyRuleY, pdf.y) + 22;
    const title = tidy(name).toUpperCase();
    const titleSize = [14, 13, 12].find((size) => this.use('bold', size).widthOfString(title) <= this.width) ?? 12;
    this.paragraph(title, 'bold', titleSize, 'center');
    if (input.kind === 'result') this.paragraph(`Mã kết quả: ${input.result.code}`, 'bold', 11, 'center');
    this.gap(1);
  }

  /** Decree 45 Art. 18.2.c: the identifying numbers (a result's code is under its title); Circular 01 Art. 26.2.b–c in words. */
  identification(input: DossierDocument): void {
    const { dossier } = input;
    this.field('Mã hồ sơ', dossier.code);
    this.field('Thủ tục hành chính', `${tidy(dossier.procedure.name)} (mã ${tidy(dossier.procedure.code)})`);
    this.field('Cơ quan giải quyết', `${tidy(dossier.agency.name)} (mã ${tidy(dossier.agency.code)})`);
    this.field('Tổ chức, cá nhân nộp hồ sơ', dossier.applicant.name);
    this.field('Số định danh', dossier.applicant.idNumber);
    this.gap();
  }

  rule(x: number, y: number, width: number, colour = COLOURS.text): void {
    this.pdf.moveTo(x, y).lineTo(x + width, y).lineWidth(0.6).strokeColor(colour).stroke();
  }

  /** The visible signature on page one (SignatureAppearance), in the box the widget covers, and the approver's above it. */
  signature({ signerName, agency, signedAt, approverName }: SignatureAppearance): void {
    const { pdf } = this;
    pdf.switchToPage(pdf.bufferedPageRange().start);
    // Below the text's bottom margin, as the footer is: no new page for it.
    pdf.page.margins.bottom = 0;
    if (approverName !== undefined) this.signatureBox(APPROVER_AT, approverName, agency, signedAt);
    this.signatureBox(SIGNATURE_AT, signerName, agency, signedAt);
  }

  private signatureBox({ x, y }: { x: number; y: number }, signerName: string, agency: SignatureAppearance['agency'], signedAt: Date): void {
    const { width, height } = SIGNATURE_BOX;
    this.pdf.rect(x, y, width, height).lineWidth(1).strokeColor(COLOURS.signature).stroke();
    const line = { width: width - 12, height: 11, ellipsis: true, lineBreak: false } as const;
    this.use('bold', 8, COLOURS.signature).text('ĐÃ KÝ SỐ / DIGITALLY SIGNED', x + 6, y + 5, line);
    this.use('regular', 7.5, COLOURS.signature).text(`Người ký: ${tidy(signerName)}`, x + 6, y + 19, line);
    this.use('regular', 7.5, COLOURS.signature).text(`Cơ quan: ${tidy(agency.name)} (mã ${tidy(agency.code)})`, x + 6, y + 31, line);
    this.use('regular', 7.5, COLOURS.signature).text(`Thời gian ký: ${vietnamSigningTime(signedAt)}`, x + 6, y + 43, line);
    this.use('italic', 6.5, COLOURS.muted).text(`Chữ ký số theo Điều 14 khoản 3 điểm b ${LAW}`, x + 6, y + 55, line);
  }

  /** Decree 45 Art. 18.2.b–c and 18.2.dd on every page: the system, the lookup address, the page. */
  footers(url: string): void {
    const { pdf } = this;
    const pages = pdf.bufferedPageRange();
    for (let index = 0; index < pages.count; index++) {
      pdf.switchToPage(pages.start + index);
      pdf.page.margins.bottom = 0;
      const y = pdf.page.height - MARGIN.bottom - FOOTER_ROOM + 6;
      this.rule(MARGIN.left, y - 4, this.width, COLOURS.rule);
      this.use('regular', 7.5, COLOURS.muted).text(`Văn bản in từ Hệ thống thông tin giải quyết thủ tục hành chính ${SYSTEM_NAME}`, MARGIN.left, y, {
        width: this.width - 60,
        lineBreak: false,
      });
      this.use('regular', 7.5, COLOURS.muted).text(`Trang ${index + 1}/${pages.count}`, MARGIN.left + this.width - 60, y, { width: 60, align: 'right', lineBreak: false });
      this.use('regular', 7.5, COLOURS.muted).text(`Tra cứu: ${url}`, MARGIN.left, y + 10, { width: this.width, lineBreak: false });
    }
  }
}

/** Decree 45 Art. 11.1 (successful submission, time of official receipt) and 11.4 (08 working hours). */
function receiptBody(page: Page, input: ReceiptNotice): void {
  page.paragraph(`Hệ thống ${SYSTEM_NAME} đã nhận hồ sơ nộp trực tuyến, đủ thành phần theo yêu cầu của thủ tục (Điều 11 khoản 1 ${LAW}).`);
  page.gap(0.4);
  page.field('Thời điểm tiếp nhận chính thức', vietnamMoment(input.receivedAt));
  page.field('Hạn thông báo tiếp nhận hoặc yêu cầu bổ sung', vietnamMoment(input.receiptDueAt));
  if (input.resultDueAt) page.field('Ngày hẹn trả kết quả', vietnamDate(input.resultDueAt));
  if (input.components?.length) {
    page.gap(0.4);
    page.paragraph('Thành phần hồ sơ đã nhận:', 'bold');
    page.numbered(input.components);
  }
  page.gap();
  page.paragraph(
    `Trong thời hạn 08 giờ làm việc kể từ thời điểm tiếp nhận trên hệ thống, ${tidy(input.dossier.agency.name)} thông báo tiếp nhận chính thức hồ sơ hoặc hướng dẫn bổ sung, hoàn thiện hồ sơ (Điều 11 khoản 4 ${LAW}).`,
  );
}

/** Decree 45 Art. 11.3: every item to supplement, at once; Art. 12.2.c: the code stays. */
function amendmentBody(page: Page, input: AmendmentGuidance): void {
  page.field('Thời điểm yêu cầu', vietnamMoment(input.requestedAt));
  page.gap(0.4);
  page.paragraph('Hồ sơ chưa đầy đủ hoặc chưa hợp lệ. Đề nghị tổ chức, cá nhân bổ sung, hoàn thiện hồ sơ với các nội dung sau:');
  page.gap(0.3);
  page.numbered(input.items);
  if (input.note && tidy(input.note) !== '') {
    page.gap(0.3);
    page.field('Ghi chú', input.note);
  }
  page.gap();
  page.paragraph(
    `Các nội dung trên được hướng dẫn đầy đủ một lần (Điều 11 khoản 3 ${LAW}). Hồ sơ sau khi bổ sung giữ nguyên mã hồ sơ (Điều 12 khoản 2 điểm c ${LAW}).`,
    'italic',
    10,
  );
}

function refusalBody(page: Page, input: RefusalNotice): void {
  page.field('Thời điểm từ chối', vietnamMoment(input.refusedAt));
  page.gap(0.4);
  page.paragraph(`${tidy(input.dossier.agency.name)} từ chối giải quyết hồ sơ vì các lý do sau:`);
  page.gap(0.3);
  page.numbered(input.reasons);
  page.gap();
  page.paragraph('Hồ sơ giữ mã để tổ chức, cá nhân tra cứu kết quả xử lý.', 'italic', 10);
}

/** Decree 45 Art. 14 (the result and its code) and Art. 15 (annulment). */
function resultBody(page: Page, input: ResultDocument): void {
  const { result } = input;
  if (result.annulment) annulledStamp(page, result.annulment.at);
  page.field('Thời điểm cấp', vietnamMoment(result.issuedAt));
  if (result.issuer) page.field('Người ký', result.issuer);
  if (result.validUntil) page.field('Thời hạn hiệu lực', `đến hết ngày ${vietnamDate(result.validUntil)}`);
  if (result.scope) page.field('Phạm vi hiệu lực', result.scope);
  if (result.details?.length) {
    page.gap(0.4);
    page.paragraph('Nội dung:', 'bold');
    for (const detail of result.details) page.field(tidy(detail.label), detail.value);
  }
  page.gap();
  page.paragraph(`Kết quả giải quyết thủ tục hành chính điện tử có giá trị pháp lý như kết quả bằng giấy (Điều 14 khoản 2 ${LAW}).`, 'italic', 10);
  if (result.annulment) {
    page.gap();
    page.paragraph(`KẾT QUẢ ĐÃ BỊ HUỶ lúc ${vietnamMoment(result.annulment.at)}.`, 'bold', 11, 'left', COLOURS.annulled);
    page.paragraph(`Lý do huỷ: ${tidy(result.annulment.reason)}`, 'regular', 11, 'left', COLOURS.annulled);
    page.paragraph(`Bản giấy chuyển đổi từ kết quả này không còn giá trị (Điều 15 khoản 3 ${LAW}).`, 'italic', 10, 'left', COLOURS.annulled);
  }
}

/** Decree 45 Art. 13.4 and Circular 01 Art. 27: what was paid, for what, into which account, with which codes. */
function paymentReceiptBody(page: Page, input: PaymentReceipt): void {
  const { payment } = input;
  page.field('Mã giao dịch', payment.transactionCode);
  page.field('Thời điểm thanh toán thành công', vietnamMoment(payment.paidAt));
  page.field('Số tiền phí, lệ phí', formatVnd(payment.amountVnd));
  if (payment.serviceFeeVnd !== null) page.field('Phí dịch vụ thanh toán (do tổ chức cung cấp dịch vụ thu)', formatVnd(payment.serviceFeeVnd));
  if (payment.feeCode) page.field('Mã phí, lệ phí (Kho bạc Nhà nước)', payment.feeCode);
  page.field('Tài khoản thu', `${payment.collectingAccount.number} — ${tidy(payment.collectingAccount.name)} (mã CITAD ${payment.collectingAccount.citadCode})`);
  page.field('Tổ chức cung cấp dịch vụ thanh toán', payment.providerReference ? `${payment.provider}, số tham chiếu ${payment.providerReference}` : payment.provider);
  page.gap(0.4);
  page.paragraph('Nội dung lệnh thanh toán (Điều 27 khoản 3 Thông tư số 01/2023/TT-VPCP):', 'bold');
  page.paragraph(payment.content, 'regular', 9.5);
  page.gap();
  page.paragraph(`Biên lai điện tử được ký số, gửi tổ chức, cá nhân nộp phí, lệ phí để tiếp tục giải quyết thủ tục hành chính (Điều 13 khoản 4 ${LAW}).`, 'italic', 10);
}

/** A red rubber stamp across the page under the title, tilted, that no reader of the paper can miss (Decree 45 Art. 15.3). */
function annulledStamp(page: Page, annulledAt: Date): void {
  const { pdf } = page;
  const width = 300;
  const height = 64;
  const x = MARGIN.left + (page.width - width) / 2;
  const y = pdf.y + 14;
  pdf.save();
  pdf.rotate(-8, { origin: [x + width / 2, y + height / 2] });
  pdf.rect(x, y, width, height).lineWidth(2.5).strokeColor(COLOURS.annulled).stroke();
  pdf.rect(x + 4, y + 4, width - 8, height - 8).lineWidth(0.8).strokeColor(COLOURS.annulled).stroke();
  page.use('bold', 24, COLOURS.annulled).text('ĐÃ HUỶ / ANNULLED', x, y + 10, { width, align: 'center', lineBreak: false });
  page.use('bold', 9, COLOURS.annulled).text(`Huỷ lúc ${vietnamMoment(annulledAt)}`, x, y + 42, { width, align: 'center', lineBreak: false });
  pdf.restore();
  pdf.x = MARGIN.left;
  pdf.y = y + height + 28;
}
