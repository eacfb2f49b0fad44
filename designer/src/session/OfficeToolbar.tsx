import type { ReactNode } from 'react';
import type { Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';

/**
 * The top bar of the officials' pages (workspace, monitoring, accountant, indicators, service test
 * runs): the product, the page's title, the page's own controls, then who is signed in, signing
 * out and the language switch, in the same places on every page.
 */
export function OfficeToolbar({ title, displayName, signOutText, onSignOut, language, onLanguageChange, children }: {
  title: string;
  displayName: string;
  signOutText: string;
  onSignOut: () => void;
  language: Language;
  onLanguageChange: (language: Language) => void;
  /** The page's own controls, after its title. */
  children?: ReactNode;
}) {
  return (
    <header className="toolbar">
      <strong className="brand">Quy Trình</strong>
      <span className="subtitle">{title}</span>
      {children}
      <span className="spacer" />
      <span className="office-who" data-testid="account-name">
        {displayName}
      </span>
      <button type="button" onClick={onSignOut}>
        {signOutText}
      </button>
      <LanguageSwitch language={language} onChange={onLanguageChange} />
    </header>
  );
}
