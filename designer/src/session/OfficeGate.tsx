import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ProblemError } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { SessionScreen } from './SessionScreen.tsx';
import { SignInForm } from './SignInForm.tsx';
import { sessionApi, type Account } from './session-api.ts';

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };

/** The words of a page's gate: each page's dictionary has these keys, in its own words. */
export type GateMessage = 'title' | 'loading' | 'signInTitle' | 'signInIntro' | 'notForYou' | 'signOut';

/** What the page inside the gate is given: who is signed in, the page's language, how to sign out, and how to say the session ended. */
export interface OfficeSession {
  account: Account;
  language: Language;
  onLanguageChange: (language: Language) => void;
  signOut: () => Promise<void>;
  expired: () => void;
}

/**
 * The sign-in gate of the officials' pages (the workspace /xu-ly, monitoring /theo-doi, the
 * accountant /ke-toan): reads the session once, offers sign-in, refuses an account the page is not
 * for (the server refuses it anyway: route-policies.ts), and renders the page for the one it is for.
 * The gate holds the page's language (Vietnamese first) so that the sign-in screen and the page
 * switch together.
 */
export function OfficeGate({ text: textIn, allows, children }: { text: (language: Language, key: GateMessage) => string; allows: (account: Account) => boolean; children: (session: OfficeSession) => ReactNode }) {
  const [language, onLanguageChange] = useState<Language>('vi');
  const text = useCallback((key: GateMessage) => textIn(language, key), [textIn, language]);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${text('title')} – Quy Trình`;
  }, [language, text]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      () => setSession({ status: 'signed-out' }),
    );
    // Read once at the start: a language switch only rewords.
  }, []);

  const signOut = useCallback(async () => {
    try {
      await sessionApi.signOut(language);
    } catch (error) {
      // Already ended: signed out all the same.
      if (!(error instanceof ProblemError && error.status === 401)) throw error;
    }
    setSession({ status: 'signed-out' });
  }, [language]);
  const expired = useCallback(() => setSession({ status: 'signed-out' }), []);

  if (session.status === 'loading') return <p className="session-loading muted">{text('loading')}</p>;
  if (session.status === 'signed-out') {
    return (
      <SessionScreen language={language} onLanguageChange={onLanguageChange} title={text('signInTitle')} subtitle={text('title')}>
        <p className="muted">{text('signInIntro')}</p>
        <SignInForm language={language} onSignedIn={(account) => setSession({ status: 'signed-in', account })} />
      </SessionScreen>
    );
  }
  if (!allows(session.account)) {
    return (
      <SessionScreen language={language} onLanguageChange={onLanguageChange} title={text('title')} subtitle={text('title')}>
        <p data-testid="not-for-you">{text('notForYou')}</p>
        <button type="button" className="primary" onClick={() => void signOut()}>
          {text('signOut')}
        </button>
      </SessionScreen>
    );
  }
  return <>{children({ account: session.account, language, onLanguageChange, signOut, expired })}</>;
}
