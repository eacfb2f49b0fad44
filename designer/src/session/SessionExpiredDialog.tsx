import { translate, type Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import type { Account } from './session-api.ts';
import { SignInForm } from './SignInForm.tsx';

interface SessionExpiredDialogProps {
  language: Language;
  onLanguageChange: (language: Language) => void;
  onSignedIn: (account: Account) => void;
  /** What is kept while signing in again, in the page's words; the designer's by default. */
  text?: string | undefined;
}

/**
 * Signing in again over a page whose session ended (a 401 later on): the page behind stays as it
 * was, with what was typed into it, and carries on once signed in. The designer, the portal and
 * the workspace show the same dialog.
 */
export function SessionExpiredDialog({ language, onLanguageChange, onSignedIn, text }: SessionExpiredDialogProps) {
  return (
    <div className="modal-backdrop">
      <section className="modal session-expired" role="dialog" aria-modal="true" aria-labelledby="session-expired-title">
        <div className="modal-heading">
          <h2 id="session-expired-title">{translate(language, 'sessionExpiredTitle')}</h2>
          <LanguageSwitch language={language} onChange={onLanguageChange} />
        </div>
        <p>{text ?? translate(language, 'sessionExpiredText')}</p>
        <SignInForm language={language} onSignedIn={onSignedIn} />
      </section>
    </div>
  );
}
