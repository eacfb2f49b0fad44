import { useEffect, useState } from 'react';
import { ProblemError } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { SessionScreen } from '../session/SessionScreen.tsx';
import { SignInForm } from '../session/SignInForm.tsx';
import { sessionApi, type Account } from '../session/session-api.ts';
import { InstanceScreen } from './InstanceScreen.tsx';
import { monitoringText, type MonitoringMessage } from './messages.ts';
import { ProcedureScreen } from './ProcedureScreen.tsx';
import { SearchScreen } from './SearchScreen.tsx';
import './monitoring.css';

export const MONITORING_PATH = '/theo-doi';

/** Where the monitoring app is: the search, one instance, or one procedure's heat map. */
export type MonitoringPlace = { screen: 'search' } | { screen: 'instance'; instanceId: string } | { screen: 'procedure'; key: string };

export function placeOf(pathname: string): MonitoringPlace {
  const [, , kind, value] = pathname.split('/');
  if (kind === 'ho-so' && value) return { screen: 'instance', instanceId: decodeURIComponent(value) };
  if (kind === 'thu-tuc' && value) return { screen: 'procedure', key: decodeURIComponent(value) };
  return { screen: 'search' };
}

export function pathOf(place: MonitoringPlace): string {
  if (place.screen === 'instance') return `${MONITORING_PATH}/ho-so/${encodeURIComponent(place.instanceId)}`;
  if (place.screen === 'procedure') return `${MONITORING_PATH}/thu-tuc/${encodeURIComponent(place.key)}`;
  return MONITORING_PATH;
}

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };

/** Staff and administrators monitor everything; officials their agencies' dossiers (the server decides which functions). */
const monitorsHere = (account: Account) => account.roles.some((role) => role === 'staff' || role === 'admin' || role === 'official');

/**
 * Monitoring at `/theo-doi` (issue 14, docs/monitoring.md): find a dossier, see it on its diagram
 * (`/theo-doi/ho-so/<instance>`), a procedure's heat map (`/theo-doi/thu-tuc/<key>`). The browser's
 * back and forward buttons move between them.
 */
export function MonitoringApp() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: MonitoringMessage) => monitoringText(language, key);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [place, setPlace] = useState<MonitoringPlace>(() => placeOf(window.location.pathname));

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${monitoringText(language, 'title')} – Quy Trình`;
  }, [language]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      () => setSession({ status: 'signed-out' }),
    );
    const back = () => setPlace(placeOf(window.location.pathname));
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
    // Read once at the start: a language switch only rewords.
  }, []);

  const go = (next: MonitoringPlace) => {
    window.history.pushState(null, '', pathOf(next));
    setPlace(next);
  };
  const signOut = async () => {
    try {
      await sessionApi.signOut(language);
    } catch (error) {
      if (!(error instanceof ProblemError && error.status === 401)) throw error;
    }
    setSession({ status: 'signed-out' });
  };

  if (session.status === 'loading') return <p className="session-loading muted">{t('loading')}</p>;
  if (session.status === 'signed-out') {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('signInTitle')} subtitle={t('title')}>
        <p className="muted">{t('signInIntro')}</p>
        <SignInForm language={language} onSignedIn={(account) => setSession({ status: 'signed-in', account })} />
      </SessionScreen>
    );
  }
  const { account } = session;
  if (!monitorsHere(account)) {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('title')} subtitle={t('title')}>
        <p data-testid="not-for-you">{t('notForYou')}</p>
        <button type="button" className="primary" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </SessionScreen>
    );
  }
  const operator = account.roles.includes('staff') || account.roles.includes('admin');
  return (
    <div className="mon-page">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{t('title')}</span>
        {place.screen === 'search' ? null : (
          <button type="button" className="link" onClick={() => go({ screen: 'search' })}>
            {t('back')}
          </button>
        )}
        <span className="spacer" />
        <span className="mon-who" data-testid="account-name">
          {account.displayName}
        </span>
        <button type="button" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
        <LanguageSwitch language={language} onChange={setLanguage} />
      </header>
      <main className="mon-main">
        {place.screen === 'search' ? <SearchScreen language={language} onOpen={go} /> : null}
        {place.screen === 'instance' ? <InstanceScreen key={place.instanceId} instanceId={place.instanceId} language={language} operator={operator} onOpen={go} /> : null}
        {place.screen === 'procedure' ? <ProcedureScreen key={place.key} procedureKey={place.key} language={language} onOpen={go} /> : null}
      </main>
    </div>
  );
}
