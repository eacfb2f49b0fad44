import type { ReactNode } from 'react';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';

interface SessionScreenProps {
  language: Language;
  onLanguageChange: (language: Language) => void;
  title: string;
  /** What part of the product this is, beside the brand; the designer's by default. */
  subtitle?: string | undefined;
  children: ReactNode;
}

/** A whole page before the designer: the product's bar (brand, language) and one card in the middle. */
export function SessionScreen({ language, onLanguageChange, title, subtitle, children }: SessionScreenProps) {
  const t = (key: MessageKey) => translate(language, key);
  return (
    <div className="session-page">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{subtitle ?? t('title')}</span>
        <span className="spacer" />
        <LanguageSwitch language={language} onChange={onLanguageChange} />
      </header>
      <main className="session-main">
        <section className="session-card" aria-labelledby="session-card-title">
          <h1 id="session-card-title">{title}</h1>
          {children}
        </section>
      </main>
    </div>
  );
}
