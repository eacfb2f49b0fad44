import type { Language } from '../i18n.ts';
import './signatures.css';
import { formatDateTime } from '../format.ts';

/** A component's signature as verified on receipt (GET /api/dossiers/:id `components[].signature`; Decree 45 Art. 11.2.b). */
export interface ComponentSignature {
  valid: boolean;
  signer: { name: string | null; agencyCode: string | null } | null;
  signedAt: string | null;
  problems: Array<{ code: string; text: { vi: string; en: string } }>;
}

const TEXT = {
  vi: { valid: 'Chữ ký số hợp lệ', review: 'Chữ ký số cần xem xét', by: 'ký bởi', at: 'lúc' },
  en: { valid: 'Valid digital signature', review: 'Digital signature to review', by: 'signed by', at: 'at' },
} as const;

/**
 * After a component in the dossier's list: who signed it and when, valid or, for a signer the
 * product does not trust (untrusted root, revoked), the reasons the one-stop desk weighs. Nothing
 * for an image or an unsigned PDF.
 */
export function ComponentSignatureNote({ signature, language }: { signature: ComponentSignature | null | undefined; language: Language }) {
  if (!signature) return null;
  const t = TEXT[language];
  const who = [signature.signer?.name ? `${t.by} ${signature.signer.name}` : null, signature.signedAt ? `${t.at} ${formatDateTime(signature.signedAt)}` : null].filter(Boolean).join(' ');
  return (
    <span className={`signature-note ${signature.valid ? 'valid' : 'invalid'}`} data-testid="component-signature">
      {signature.valid ? `✔ ${t.valid}` : `⚠ ${t.review}`}
      {who ? ` (${who})` : ''}
      {signature.valid ? null : `: ${signature.problems.map((problem) => problem.text[language]).join('; ')}`}
    </span>
  );
}
