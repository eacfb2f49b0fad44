/**
 * The text a printed document's QR code holds (Circular 01 Art. 26.2; the symbol itself is
 * TCVN 7322:2009 / ISO/IEC 18004, error correction level M, drawn by qr-symbol.ts).
 *
 * Lines in a fixed order, separated by "\n", no labels: the payload must stay small enough for a
 * symbol of about 2.5 cm to be read by a phone (a notice comes to QR version 10 or 11, 2.5 cm with
 * modules of 0.4 mm or more; a result with a time limit and scope to 12 or 13, which qr-symbol.ts
 * prints a little larger). Free text (the document's name, the scope) is cut at
 * 120 characters with "…": the paper carries it whole. A line with nothing to say is
 * left empty so that every field keeps its place; empty lines at the end are dropped. Reading,
 * line by line:
 *
 *  1. the public lookup address `<base>/tra-cuu/<code>` (code: the result code for a result,
 *     the dossier code otherwise). It comes first because a phone's reader offers the first link
 *     it finds; the page it opens tells the document's current state (an annulled result says
 *     so, Decree 45 Art. 15.3), which the paper cannot;
 *  2. the dossier code (Art. 26.2.a: code of the administrative procedure document);
 *  3. the result code `<dossier code>-KQ<n>` when the document is a result (Decree 45 Art. 14.3.d);
 *  4. the procedure code in the national database (Art. 26.2.b);
 *  5. the code of the agency issuing the document;
 *  6. the identification code of the organisation or person following the procedure
 *     (Art. 26.2.c); their name is on the paper, not in the code: the article asks for the
 *     identifier only, and a name adds personal data that anyone holding the paper could read
 *     without reading the page;
 *  7. the name of the document (Art. 26.2.d);
 *  8. the name of the information system providing the data, "Quy Trình" (Art. 26.2.dd);
 *  9. the time of publication, `dd/mm/yyyy HH:mm` in Vietnam time (Art. 26.2.e);
 * 10. the status the document records: "Đã nộp thành công", "Yêu cầu bổ sung", "Từ chối",
 *     "Đã cấp" or, for an annulled result, "Đã huỷ";
 * 11. for a receipt notice, the date appointed for returning the result (Art. 26.2.g); for a
 *     result, the end of its effect (Art. 26.2.h), `dd/mm/yyyy`;
 * 12. for a result, the scope of its effect (Art. 26.2.h);
 * 13. for an annulled result, the time of annulment, `dd/mm/yyyy HH:mm` (Decree 45 Art. 15.1).
 *
 * The procedure's name is left out for the same reason of size: it can run to two hundred
 * letters, and its code (line 4) names it in the national database.
 */
import { documentName, documentStatus, lookupUrl, publishedAt, tidy, type DossierDocument } from './dossier-document.ts';
import { vietnamDate, vietnamDateTime } from './vietnam-time.ts';

/** The name of the information system (Circular 01 Art. 26.2.dd; Decree 45 Art. 18.2.b). */
export const SYSTEM_NAME = 'Quy Trình';

const MAX_TEXT_LENGTH = 120;

function capped(text: string): string {
  const letters = Array.from(text);
  return letters.length > MAX_TEXT_LENGTH ? `${letters.slice(0, MAX_TEXT_LENGTH - 1).join('')}…` : text;
}

export function qrPayload(document: DossierDocument): string {
  const { dossier } = document;
  const result = document.kind === 'result' ? document.result : undefined;
  const appointedOrValidUntil = document.kind === 'receipt' ? document.resultDueAt : result?.validUntil;
  const lines = [
    lookupUrl(document),
    dossier.code,
    result?.code ?? '',
    tidy(dossier.procedure.code),
    tidy(dossier.agency.code),
    tidy(dossier.applicant.idNumber),
    capped(documentName(document)),
    SYSTEM_NAME,
    vietnamDateTime(publishedAt(document)),
    documentStatus(document),
    appointedOrValidUntil ? vietnamDate(appointedOrValidUntil) : '',
    result?.scope ? capped(tidy(result.scope)) : '',
    result?.annulment ? vietnamDateTime(result.annulment.at) : '',
  ];
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}
