/**
 * A test page mounting the RefundsPanel alone (test/designer/refunds-panel.test.ts), until the
 * accountant's page that mounts it is built: the signed-in account's session, the agency from
 * `?agency=`, the language from `?lang=`.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RefundsPanel } from '../../../designer/src/accounting/RefundsPanel.tsx';
import '../../../designer/src/designer.css';
import '../../../designer/src/workspace/workspace.css';
import { sessionApi } from '../../../designer/src/session/session-api.ts';

const query = new URLSearchParams(location.search);
const language = query.get('lang') === 'en' ? 'en' : 'vi';
const session = await sessionApi.current(language);
if (session.signedIn) {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <main style={{ padding: '1rem' }}>
        <RefundsPanel agencyCode={query.get('agency') ?? ''} language={language} account={session.account} />
      </main>
    </StrictMode>,
  );
}
