import { useEffect, useState } from 'react';
import { ProblemError } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { SessionScreen } from '../session/SessionScreen.tsx';
import { SignInForm } from '../session/SignInForm.tsx';
import { sessionApi, type Account } from '../session/session-api.ts';
import { accountingApi } from './accounting-api.ts';
import { AgencyPayments } from './AgencyPayments.tsx';
import { accountingText, type AccountingMessage } from './messages.ts';
import './accounting.css';

type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; account: Account };

/** Officials of a collecting agency and administrators (route policies of /api/payments/agencies). */
const worksHere = (account: Account) => account.roles.includes('admin') || (account.roles.includes('official') && account.memberships.length > 0);

/**
 * The collecting agency's accountant at `/ke-toan` (docs/payments.md "The accountant's screen and
 * API"): the agency's payment transactions, the daily reconciliation with the provider's statement
 * (Circular 01 Art. 28.2; Decree 45 Art. 13.7.d), the marks of Art. 28.3–28.4 and the collection
 * settings (Art. 27.1).
 */
export function AccountingApp() {
  const [language, setLanguage] = useState<Language>('vi');
  const t = (key: AccountingMessage) => accountingText(language, key);
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [agencies, setAgencies] = useState<Array<{ code: string; name: string }>>([]);
  const [agency, setAgency] = useState<string>('');

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${accountingText(language, 'title')} – Quy Trình`;
  }, [language]);

  useEffect(() => {
    sessionApi.current(language).then(
      (answer) => setSession(answer.signedIn ? { status: 'signed-in', account: answer.account } : { status: 'signed-out' }),
      () => setSession({ status: 'signed-out' }),
    );
    // Read once at the start: a language switch only rewords.
  }, []);

  // The agencies to choose from: an official's own; every agency for an administrator.
  useEffect(() => {
    if (session.status !== 'signed-in') return;
    accountingApi.agencies(language).then(
      (page) => {
        const mine = session.account.roles.includes('admin') ? page.items : page.items.filter((item) => session.account.memberships.some((membership) => membership.agencyCode === item.code));
        setAgencies(mine);
        setAgency((chosen) => chosen || (mine[0]?.code ?? ''));
      },
      () => setAgencies([]),
    );
  }, [session]);

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
  if (!worksHere(account)) {
    return (
      <SessionScreen language={language} onLanguageChange={setLanguage} title={t('title')} subtitle={t('title')}>
        <p data-testid="not-for-you">{t('notForYou')}</p>
        <button type="button" className="primary" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </SessionScreen>
    );
  }
  return (
    <div className="ac-page">
      <header className="toolbar">
        <strong className="brand">Quy Trình</strong>
        <span className="subtitle">{t('title')}</span>
        <label className="ac-agency">
          {t('agency')}{' '}
          <select value={agency} onChange={(event) => setAgency(event.target.value)} data-testid="agency">
            {agencies.map((item) => (
              <option key={item.code} value={item.code}>
                {item.name} ({item.code})
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="ws-who" data-testid="account-name">
          {account.displayName}
        </span>
        <button type="button" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
        <LanguageSwitch language={language} onChange={setLanguage} />
      </header>
      {agency ? <AgencyPayments key={agency} agency={agency} account={account} language={language} onExpired={() => setSession({ status: 'signed-out' })} /> : null}
    </div>
  );
}
