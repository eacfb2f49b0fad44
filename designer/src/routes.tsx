import { AccountingApp } from './accounting/AccountingApp.tsx';
import { IndicatorsApp, INDICATORS_PATH } from './indicators/IndicatorsApp.tsx';
import { LookupPage } from './lookup/LookupPage.tsx';
import { MonitoringApp, MONITORING_PATH } from './monitoring/MonitoringApp.tsx';
import { PortalApp } from './portal/PortalApp.tsx';
import { ServiceTestRunsApp, SERVICE_TEST_RUNS_PATH } from './publications/ServiceTestRunsApp.tsx';
import { SessionGate } from './session/SessionGate.tsx';
import { WorkspaceApp } from './workspace/WorkspaceApp.tsx';

/**
 * The pages of the one single-page app, by the first segment of the path (docs/dossiers.md):
 * the citizen portal, the officials' workspace, the public lookup (where printed QR codes lead),
 * and the designer everywhere else. The server answers every path with index.html.
 */
export const PORTAL_PATH = '/cong-dich-vu';
export const WORKSPACE_PATH = '/xu-ly';
export const LOOKUP_PATH = '/tra-cuu';
/** The collecting agency's accountant (docs/payments.md). */
export const ACCOUNTING_PATH = '/ke-toan';

export function Page({ pathname }: { pathname: string }) {
  const section = `/${pathname.split('/')[1] ?? ''}`;
  if (section === PORTAL_PATH) return <PortalApp />;
  if (section === WORKSPACE_PATH) return <WorkspaceApp />;
  if (section === LOOKUP_PATH) return <LookupPage />;
  if (section === MONITORING_PATH) return <MonitoringApp />;
  if (section === ACCOUNTING_PATH) return <AccountingApp />;
  if (section === SERVICE_TEST_RUNS_PATH) return <ServiceTestRunsApp />;
  if (section === INDICATORS_PATH) return <IndicatorsApp />;
  return <SessionGate />;
}
