import { useState } from 'react';
import { apiFetch, apiJson, ProblemError } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import './signatures.css';
import { formatDateTime } from '../format.ts';

/** One signature as POST /api/signatures/verify checks it (server/signatures/verify-pdf.ts SignatureCheck). */
interface SignatureCheck {
  valid: boolean;
  signer: { name: string | null; agencyCode: string | null; subject: string; serialNumber: string; issuer: string } | null;
  signedAt: string | null;
  reason: string | null;
  trustedRoot: { subject: string; fingerprint: string } | null;
  problems: Array<{ code: string; text: { vi: string; en: string } }>;
}

/** What POST /api/signatures/verify answers (SignatureVerification): the last signature's fields, `valid` for all, and every signature in the order added. */
export interface SignatureReport extends SignatureCheck {
  signatures: SignatureCheck[];
}

const TEXT = {
  vi: { check: 'Kiểm tra chữ ký số', checking: 'Đang kiểm tra…', valid: 'Chữ ký số hợp lệ', invalid: 'Chữ ký số KHÔNG hợp lệ', count: (n: number) => `${n} chữ ký, theo thứ tự ký`, nth: (n: number, of: number) => `Chữ ký ${n}/${of}`, oneValid: 'hợp lệ', oneInvalid: 'không hợp lệ', signer: 'Người ký', agency: 'Cơ quan', organisation: 'Tổ chức', signedAt: 'Thời điểm ký', reason: 'Lý do ký', root: 'Chứng thư gốc tin cậy', noRoot: 'không dẫn tới chứng thư gốc tin cậy', failed: 'Không kiểm tra được chữ ký' },
  en: { check: 'Check the digital signature', checking: 'Checking…', valid: 'Valid digital signature', invalid: 'INVALID digital signature', count: (n: number) => `${n} signatures, in the order signed`, nth: (n: number, of: number) => `Signature ${n} of ${of}`, oneValid: 'valid', oneInvalid: 'not valid', signer: 'Signer', agency: 'Agency', organisation: 'Organisation', signedAt: 'Signed at', reason: 'Reason', root: 'Trusted root', noRoot: 'does not chain to a trusted root', failed: 'The signature could not be checked' },
} as const;

/** `O=…` of a one-line distinguished name (certificates.ts distinguishedName). */
const organisationOf = (subject: string) => /(?:^|, )O=([^,]*)/.exec(subject)?.[1] ?? null;

/** The file's bytes as base64, as POST /api/signatures/verify takes them (in chunks: a spread of a whole PDF overflows the stack). */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** One signature's signer, agency (O= and code), time (dd/mm/yyyy HH:mm, Vietnam time), reason and trusted root. */
function SignatureDetails({ check, t }: { check: SignatureCheck; t: (typeof TEXT)[Language] }) {
  const organisation = check.signer ? organisationOf(check.signer.subject) : null;
  return (
    <dl>
      {check.signer ? (
        <>
          <dt>{t.signer}</dt>
          <dd>{check.signer.name ?? check.signer.subject}</dd>
          {check.signer.agencyCode || organisation ? (
            <>
              <dt>{t.agency}</dt>
              <dd>{[organisation, check.signer.agencyCode].filter(Boolean).join(' — ')}</dd>
            </>
          ) : null}
        </>
      ) : null}
      {check.signedAt ? (
        <>
          <dt>{t.signedAt}</dt>
          <dd>{formatDateTime(check.signedAt)}</dd>
        </>
      ) : null}
      {check.reason ? (
        <>
          <dt>{t.reason}</dt>
          <dd>{check.reason}</dd>
        </>
      ) : null}
      <dt>{t.root}</dt>
      <dd>{check.trustedRoot ? check.trustedRoot.subject : t.noRoot}</dd>
    </dl>
  );
}

/**
 * "Kiểm tra chữ ký số" on a result (Decree 45 Art. 14.3.b; Circular 01 Art. 9): downloads the
 * signed result PDF as the person would and verifies it with POST /api/signatures/verify; shows
 * every signature in the order signed (a result approved by an official: the approver's, then
 * the agency's) with its signer, agency, signing time, trusted root and whether it holds, and the
 * whole file valid or not with the reasons. The portal's result item and the workspace's results
 * list share it.
 */
export function ResultSignatureCheck({ code, pdfUrl, language }: { code: string; pdfUrl: string; language: Language }) {
  const t = TEXT[language];
  const [report, setReport] = useState<SignatureReport | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const check = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const pdf = new Uint8Array(await (await apiFetch(pdfUrl, { language })).arrayBuffer());
      setReport(await apiJson<SignatureReport>('/api/signatures/verify', { language, method: 'POST', json: { contentBase64: base64Of(pdf) } }));
    } catch (error) {
      setReport(undefined);
      setFailure(error instanceof ProblemError ? error.text(language) : t.failed);
    } finally {
      setBusy(false);
    }
  };

  const signatures = report ? (report.signatures.length > 0 ? report.signatures : [report]) : [];
  return (
    <span className="signature-check">
      <button type="button" className="signature-check-button" onClick={() => void check()} disabled={busy} aria-label={`${t.check} ${code}`}>
        {busy ? t.checking : t.check}
      </button>
      {failure ? (
        <span role="alert" className="signature-report invalid">
          {t.failed}: {failure}
        </span>
      ) : null}
      {report ? (
        <span role="status" className={`signature-report ${report.valid ? 'valid' : 'invalid'}`} data-testid={`signature-report-${code}`}>
          <strong>{report.valid ? `✔ ${t.valid}` : `✘ ${t.invalid}`}</strong>
          {signatures.length > 1 ? <span className="signature-count"> — {t.count(signatures.length)}</span> : null}
          <ol className="signature-list">
            {signatures.map((check, index) => (
              <li key={index} data-testid="signature-item" className={check.valid ? 'valid' : 'invalid'}>
                {signatures.length > 1 ? <span className="signature-ordinal">{t.nth(index + 1, signatures.length)}: {check.valid ? `✔ ${t.oneValid}` : `✘ ${t.oneInvalid}`}</span> : null}
                <SignatureDetails check={check} t={t} />
              </li>
            ))}
          </ol>
          {report.problems.length > 0 ? (
            <ul>
              {report.problems.map((problem, index) => (
                <li key={index}>{problem.text[language]}</li>
              ))}
            </ul>
          ) : null}
        </span>
      ) : null}
    </span>
  );
}
