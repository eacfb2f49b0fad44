import type { ReactNode } from 'react';
import type { DossierResult } from '../dossier-result.ts';
import type { Language } from '../i18n.ts';
import { ResultSignatureCheck } from '../signatures/ResultSignatureCheck.tsx';
import { portalText } from './messages.ts';
import { portalLinks } from './portal-api.ts';
import { formatDateTime } from '../format.ts';

/**
 * One result as the applicant sees it (Decree 45 Art. 14.3.d): its code, title, issue time and the
 * signed PDF with its signature checked on demand (Art. 14.3.b); an annulled one struck through with when and why (Art. 15). `children` adds what the
 * list it stands in needs (the e-data store names the dossier).
 */
export function ResultItem({ language, result, children }: { language: Language; result: DossierResult; children?: ReactNode }) {
  const t = (key: Parameters<typeof portalText>[1], values?: Record<string, string | number>) => portalText(language, key, values);
  const named = (
    <>
      <span className="portal-code">{result.code}</span> — {result.title}
    </>
  );
  return (
    <li className={result.annulledAt ? 'annulled' : undefined}>
      {result.annulledAt ? <del>{named}</del> : named}{' '}
      <span className="muted">
        ({t('issuedAt')} {formatDateTime(result.issuedAt)})
      </span>{' '}
      <a href={portalLinks.result(result.code)} target="_blank" rel="noopener">
        {t('resultPdf')}
      </a>
      <ResultSignatureCheck code={result.code} pdfUrl={portalLinks.result(result.code)} language={language} />
      {children}
      {result.annulledAt ? (
        <p className="portal-annulment" data-testid="annulment">
          {t('annulled', { at: formatDateTime(result.annulledAt), reason: result.annulmentReason ?? '' })}
        </p>
      ) : null}
    </li>
  );
}
