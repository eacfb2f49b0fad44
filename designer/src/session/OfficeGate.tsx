import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ProblemError } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { SessionScreen } from './SessionScreen.tsx';
import { SignInForm } from './SignInForm.tsx';
import { sessionApi, type Account } from './session-api.ts';

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };

/** The words of a page's gate, in the page's own dictionary. */
export interface GateTexts {
  title: string;
  loading: string;
  signInTitle: string;
  signInIntro: string;
  notForYou: string;
  signOut: string;
}

/** What the page inside the gate is given: who is signed in, how to sign out, and how to say the session ended. */
export interface OfficeSession {
  account: Account;
  signOut: () => Promise<void>;
  expired: () => void;
}

/**
 * The sign-in gate of the officials' pages (the workspace /xu-ly, monitoring /theo-doi, the
 * accountant /ke-toan): reads the session once, offers sign-in, refuses an account the page is not
 * for (the server refuses it anyway: route-policies.ts), and renders the page for the one it is for.
 */
export function OfficeGate({ language, onLanguageChange, texts, allows, children }: { language: Language; onLanguageChange: (language: Language) => void; texts: GateTexts; allows: (account: Account) => boolean; children: (session: OfficeSession) => ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${texts.title} – Quy Trình`;
  }, [language, texts.title]);

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

  if (session.status === 'loading') return <p className="session-loading muted">{texts.loading}</p>;
  if (session.status === 'signed-out') {
    return (
      <SessionScreen language={language} onLanguageChange={onLanguageChange} title={texts.signInTitle} subtitle={texts.title}>
        <p className="muted">{texts.signInIntro}</p>
        <SignInForm language={language} onSignedIn={(account) => setSession({ status: 'signed-in', account })} />
      </SessionScreen>
    );
  }
  if (!allows(session.account)) {
    return (
      <SessionScreen language={language} onLanguageChange={onLanguageChange} title={texts.title} subtitle={texts.title}>
        <p data-testid="not-for-you">{texts.notForYou}</p>
        <button type="button" className="primary" onClick={() => void signOut()}>
          {texts.signOut}
        </button>
      </SessionScreen>
    );
  }
  return <>{children({ account: session.account, signOut, expired })}</>;
}
