import { useCallback, useEffect, useState } from 'react';
import { App } from '../App.tsx';
import { ProblemError, onSessionExpired } from '../api-client.ts';
import { translate, type Language, type MessageKey } from '../i18n.ts';
import { designerAccess, roleName } from './access.ts';
import { SessionScreen } from './SessionScreen.tsx';
import { SessionExpiredDialog } from './SessionExpiredDialog.tsx';
import { SignInForm } from './SignInForm.tsx';
import { sessionApi, type Account } from './session-api.ts';

type SessionState = { status: 'loading' } | { status: 'signed-out'; notice?: MessageKey } | { status: 'signed-in'; account: Account };

/**
 * The designer's front door (issue 9): GET /api/session decides whether the sign-in page, the
 * designer, or a polite word for accounts it is not for comes first. When a call is answered 401
 * later on (the session expired or was ended elsewhere), the designer stays mounted, with the
 * open model and its undo history, under a sign-in dialog; the draft store (drafts/) keeps the
 * unsaved diagram through a reload as well.
 */
export function SessionGate() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: MessageKey) => translate(language, key);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [expired, setExpired] = useState(false);
  const [signOutFailure, setSignOutFailure] = useState<string | undefined>();

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      // No server: the sign-in form will say so when tried.
      () => setSession({ status: 'signed-out' }),
    );
    // Read once at the start: a language switch only rewords.
  }, []);

  useEffect(() => onSessionExpired(() => setExpired(true)), []);

  const signedIn = useCallback((account: Account) => {
    setExpired(false);
    setSession({ status: 'signed-in', account });
  }, []);

  /** Ends the session (or every session of the account); a failure other than "already ended" is the caller's to show. */
  const signOut = useCallback(
    async (everywhere: boolean) => {
      try {
        if (everywhere) await sessionApi.signOutEverywhere(language);
        else await sessionApi.signOut(language);
      } catch (error) {
        // Already ended (401): signed out all the same.
        if (!(error instanceof ProblemError && error.status === 401)) throw error;
      }
      setExpired(false);
      setSession({ status: 'signed-out', ...(everywhere ? { notice: 'signedOutEverywhere' as const } : {}) });
    },
    [language],
  );

  if (session.status === 'loading') {
    return <p className="session-loading muted">{t('sessionLoading')}</p>;
  }

  if (session.status === 'signed-out') {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('signInTitle')}>
        <p className="muted">{t('signInIntro')}</p>
        {session.notice ? (
          <p className="session-notice" role="status">
            {t(session.notice)}
          </p>
        ) : null}
        <SignInForm language={language} onSignedIn={signedIn} />
      </SessionScreen>
    );
  }

  const { account } = session;
  const access = designerAccess(account.roles);
  if (access === 'none') {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('notForYouTitle')}>
        <p>
          {t('hello')}, <strong>{account.displayName}</strong> ({account.roles.map((role) => t(roleName(role))).join(', ')}).
        </p>
        <p data-testid="not-for-you">{t('notForYouText')}</p>
        <button type="button" className="primary" onClick={() => void signOut(false).catch((error: unknown) => setSignOutFailure(error instanceof Error ? error.message : String(error)))}>
          {t('signOut')}
        </button>
        {signOutFailure ? (
          <p className="error" role="alert">
            {signOutFailure}
          </p>
        ) : null}
      </SessionScreen>
    );
  }

  return (
    <>
      {/* Inert while the sign-in dialog is up: nothing behind it can be reached, and nothing is unmounted. */}
      <div className="session-frame" inert={expired}>
        <App language={language} onLanguageChange={setLanguage} account={account} access={access} onSignOut={signOut} />
      </div>
      {expired ? <SessionExpiredDialog language={language} onLanguageChange={setLanguage} onSignedIn={signedIn} /> : null}
    </>
  );
}
