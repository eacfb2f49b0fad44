import { useEffect, useState } from 'react';
import { OfficeToolbar } from '../session/OfficeToolbar.tsx';
import { OfficeGate, type OfficeSession } from '../session/OfficeGate.tsx';
import type { Account } from '../session/session-api.ts';
import { accountingApi } from './accounting-api.ts';
import { AgencyPayments } from './AgencyPayments.tsx';
import { accountingText, type AccountingMessage } from './messages.ts';
import './accounting.css';

/** Officials of a collecting agency and administrators (route policies of /api/payments/agencies). */
const worksHere = (account: Account) => account.roles.includes('admin') || (account.roles.includes('official') && account.memberships.length > 0);

/**
 * The collecting agency's accountant at `/ke-toan` (docs/payments.md "The accountant's screen and
 * API"): the agency's payment transactions, the daily reconciliation with the provider's statement
 * (Circular 01 Art. 28.2; Decree 45 Art. 13.7.d), the marks of Art. 28.3–28.4 and the collection
 * settings (Art. 27.1).
 */
export function AccountingApp() {
  return <OfficeGate text={accountingText} allows={worksHere}>{(session) => <Accounting session={session} />}</OfficeGate>;
}

function Accounting({ session }: { session: OfficeSession }) {
  const { language, onLanguageChange } = session;
  const t = (key: AccountingMessage) => accountingText(language, key);
  const { account, signOut, expired } = session;
  const [agencies, setAgencies] = useState<Array<{ code: string; name: string }>>([]);
  const [agency, setAgency] = useState<string>('');

  // The agencies to choose from: an official's own; every agency for an administrator.
  useEffect(() => {
    accountingApi.agencies(language).then(
      (page) => {
        const mine = account.roles.includes('admin') ? page.items : page.items.filter((item) => account.memberships.some((membership) => membership.agencyCode === item.code));
        setAgencies(mine);
        setAgency((chosen) => chosen || (mine[0]?.code ?? ''));
      },
      () => setAgencies([]),
    );
  }, [account]);

  return (
    <div className="ac-page">
      <OfficeToolbar title={t('title')} displayName={account.displayName} signOutText={t('signOut')} onSignOut={() => void signOut()} language={language} onLanguageChange={onLanguageChange}>
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
      </OfficeToolbar>
      {agency ? <AgencyPayments key={agency} agency={agency} account={account} language={language} onExpired={expired} /> : null}
    </div>
  );
}
