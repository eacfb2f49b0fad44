import type { Role } from '../identity/roles.ts';
import type { ScopeName } from './scopes.ts';

/**
 * Who may call each route of `/api`: the one table issue 9 asks for. The authorisation
 * middleware (authorize.ts) enforces it before any router runs, the OpenAPI document
 * (openapi.ts) is generated from it, and test/server/route-policies.test.ts fails for an express
 * route that is missing here or an entry here that no router serves.
 *
 * - `public`: anyone, without signing in (Circular 01 Art. 23.5.a: a dossier's code and level).
 * - `signed-in`: any account or token.
 * - a list of roles: only those; an administrator is not implied, it is listed where it may act.
 * - `scope`: then only the caller's own dossiers, their agencies' tasks, their token's job types
 *   (scopes.ts); anything else answers 404 so that it does not reveal another's dossier.
 */
export type Allow = 'public' | 'signed-in' | readonly Role[];

export interface RoutePolicy {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** The path under /api, in express's syntax. */
  path: string;
  allow: Allow;
  scope?: ScopeName;
  summary: string;
  tag: string;
}

const STAFF: readonly Role[] = ['staff', 'admin'];
const ANALYSTS: readonly Role[] = ['staff', 'analyst', 'admin'];
const OPERATORS: readonly Role[] = ['staff', 'admin'];
const DOSSIER_READERS: readonly Role[] = ['citizen', 'official', 'staff', 'admin'];
const MONITORS: readonly Role[] = ['official', 'staff', 'admin'];

export const ROUTE_POLICIES: readonly RoutePolicy[] = [
  { method: 'get', path: '/health', allow: 'public', tag: 'system', summary: 'Health of the product and its database' },
  { method: 'get', path: '/openapi.json', allow: 'public', tag: 'system', summary: 'This API as OpenAPI 3.1' },

  { method: 'get', path: '/session', allow: 'public', tag: 'identity', summary: 'Who is signed in (and the CSRF token of the session)' },
  { method: 'post', path: '/session', allow: 'public', tag: 'identity', summary: 'Sign in with username and password' },
  { method: 'get', path: '/session/sso', allow: 'public', tag: 'identity', summary: 'Single sign-on: go to the OpenID provider (?returnTo=/path on this site)' },
  { method: 'get', path: '/session/sso/callback', allow: 'public', tag: 'identity', summary: "Single sign-on: the provider's redirect back; signs in, then redirects to / (or ?sso_error=)" },
  { method: 'delete', path: '/session', allow: 'signed-in', tag: 'identity', summary: 'Sign out' },
  { method: 'post', path: '/session/logout-everywhere', allow: 'signed-in', tag: 'identity', summary: 'End every session of the signed-in account' },
  { method: 'post', path: '/accounts/register', allow: 'public', tag: 'identity', summary: 'Register a citizen or organisation account (assurance level 1, Decree 45 Art. 8)' },
  { method: 'get', path: '/accounts', allow: ['admin'], tag: 'identity', summary: 'List accounts' },
  { method: 'post', path: '/accounts', allow: ['admin'], tag: 'identity', summary: 'Create an account of any role' },
  { method: 'post', path: '/accounts/:username/disable', allow: ['admin'], tag: 'identity', summary: 'Disable an account and end its sessions' },
  { method: 'get', path: '/agencies', allow: 'signed-in', tag: 'identity', summary: 'List agencies' },
  { method: 'post', path: '/agencies', allow: ['admin'], tag: 'identity', summary: 'Create an agency' },
  { method: 'put', path: '/agencies/:code/lanes/:lane', allow: ['admin'], tag: 'identity', summary: 'Map a BPMN lane (candidate group) to an agency and function' },
  { method: 'get', path: '/tokens', allow: ['admin'], tag: 'identity', summary: 'List API tokens (never their secrets)' },
  { method: 'post', path: '/tokens', allow: ['admin'], tag: 'identity', summary: 'Create an API token for a machine client' },
  { method: 'delete', path: '/tokens/:id', allow: ['admin'], tag: 'identity', summary: 'Revoke an API token' },
  { method: 'get', path: '/audit', allow: ['admin'], tag: 'identity', summary: 'Read the audit trail' },
  { method: 'get', path: '/audit/verify', allow: ['admin'], tag: 'identity', summary: 'Verify the audit chain' },
  { method: 'get', path: '/lookup/:code', allow: 'public', tag: 'dossiers', summary: "A dossier's or result's code, procedure and completion level only (Circular 01 Art. 23.5.a)" },

  { method: 'get', path: '/portal/procedures', allow: 'public', tag: 'dossiers', summary: 'Deployed procedures open to online applications, with their receiving agencies' },
  { method: 'get', path: '/portal/procedures/:key/form', allow: ['citizen'], tag: 'dossiers', summary: 'The application form, filled from what the account holds (Decree 45 Art. 16.4), and the components to attach' },
  { method: 'post', path: '/dossiers', allow: ['citizen'], tag: 'dossiers', summary: 'Submit an application: technical check, dossier code, receipt notice (Decree 45 Art. 11.1)' },
  { method: 'get', path: '/dossiers', allow: DOSSIER_READERS, tag: 'dossiers', summary: "Dossiers: a citizen's own, an official's agencies'" },
  { method: 'get', path: '/dossiers/:id', allow: DOSSIER_READERS, scope: 'dossier', tag: 'dossiers', summary: 'One dossier: data, components, history, results, open steps' },
  { method: 'get', path: '/dossiers/:id/components/:componentId', allow: DOSSIER_READERS, scope: 'dossier', tag: 'dossiers', summary: "A dossier component's file" },
  { method: 'get', path: '/dossiers/:id/notices/:kind.pdf', allow: DOSSIER_READERS, scope: 'dossier', tag: 'dossiers', summary: 'A notice printed with its QR: receipt, amendment or refusal (Decree 45 Art. 18, Circular 01 Art. 26)' },
  { method: 'get', path: '/results/:code.pdf', allow: DOSSIER_READERS, scope: 'result', tag: 'dossiers', summary: 'A result printed with its QR (an annulled one stamped so)' },
  { method: 'post', path: '/dossiers/:id/amend', allow: ['citizen'], scope: 'dossier', tag: 'dossiers', summary: 'Answer the amendment request; the code never changes (Decree 45 Art. 12)' },
  { method: 'post', path: '/dossiers/:id/receive', allow: ['official', 'admin'], scope: 'dossier', tag: 'dossiers', summary: 'Receive the dossier at its receipt check (Decree 45 Art. 11.3)' },
  { method: 'post', path: '/dossiers/:id/request-amendment', allow: ['official', 'admin'], scope: 'dossier', tag: 'dossiers', summary: 'Ask for an amendment, once, listing everything to supplement (Decree 45 Art. 11.3)' },
  { method: 'post', path: '/dossiers/:id/refuse', allow: ['official', 'admin'], scope: 'dossier', tag: 'dossiers', summary: 'Refuse with reasons; the applicant is told' },
  { method: 'post', path: '/results/:code/annul', allow: ['official', 'admin'], scope: 'result', tag: 'dossiers', summary: "Annul a result (Decree 45 Art. 15): an approver of the issuing agency" },
  { method: 'post', path: '/dossiers/:id/payments/retry', allow: ['citizen'], scope: 'dossier', tag: 'payments', summary: "Pay again after a failed payment: the dossier's payment step asks for a new transaction with a new code (Circular 01 Art. 28.1.a)" },
  { method: 'get', path: '/dossiers/:id/payments/:code/receipt.pdf', allow: DOSSIER_READERS, scope: 'dossier', tag: 'payments', summary: 'The signed electronic receipt of a successful payment (Decree 45 Art. 13.4)' },
  { method: 'post', path: '/payments/callbacks/:provider', allow: 'public', tag: 'payments', summary: "A payment provider's signed notification of a transaction's status (Circular 01 Art. 28.1); believed only when its signature verifies" },
  { method: 'post', path: '/signatures/verify', allow: 'signed-in', tag: 'dossiers', summary: 'Verify the digital signature of a PDF: signed range, integrity, signer, chain to a trusted root (Decree 45 Art. 14.3.b)' },
  { method: 'get', path: '/notices', allow: ['citizen'], tag: 'dossiers', summary: "The applicant's notices" },
  { method: 'post', path: '/notices/:id/read', allow: ['citizen'], tag: 'dossiers', summary: 'Mark a notice read' },
  { method: 'get', path: '/forms/:code', allow: 'signed-in', tag: 'dossiers', summary: "A form's latest version (form-js schema)" },
  { method: 'put', path: '/forms/:code', allow: STAFF, tag: 'dossiers', summary: 'Save a form as its next version (Circular 01 Art. 22)' },

  { method: 'post', path: '/dossiers/:id/digitizations', allow: ['citizen', 'official', 'admin'], scope: 'dossier', tag: 'digitization', summary: "Digitize a paper component: its scan (PDF or images), counted against the paper's pages, stamped, signed, then OCR (Circular 01 Art. 8); an Art. 4.4 exclusion is flagged" },
  { method: 'get', path: '/dossiers/:id/digitizations', allow: DOSSIER_READERS, scope: 'dossier', tag: 'digitization', summary: "A dossier's digitizations" },
  { method: 'get', path: '/dossiers/:id/digitizations/:digitizationId', allow: DOSSIER_READERS, scope: 'dossier', tag: 'digitization', summary: 'One digitization: status, OCR progress per page, suggested and confirmed metadata, code (Circular 01 Art. 9–10)' },
  { method: 'get', path: '/dossiers/:id/digitizations/:digitizationId/copy.pdf', allow: DOSSIER_READERS, scope: 'dossier', tag: 'digitization', summary: 'The stamped, signed electronic copy (Circular 01 Art. 8.1)' },
  { method: 'post', path: '/dossiers/:id/digitizations/:digitizationId/confirm', allow: ['official', 'admin'], scope: 'dossier', tag: 'digitization', summary: 'Confirm or correct the metadata of Art. 9.2 and give the code of Art. 10 (Circular 01 Art. 9.1)' },

  { method: 'get', path: '/models', allow: ANALYSTS, tag: 'models', summary: 'List procedure models' },
  { method: 'post', path: '/models', allow: STAFF, tag: 'models', summary: 'Save a new procedure model' },
  { method: 'get', path: '/models/:id', allow: ANALYSTS, tag: 'models', summary: 'A procedure model' },
  { method: 'get', path: '/models/:id/versions', allow: ANALYSTS, tag: 'models', summary: "A model's versions" },
  { method: 'post', path: '/models/:id/versions', allow: STAFF, tag: 'models', summary: 'Save a new version of a model' },
  { method: 'get', path: '/models/:id/versions/:version', allow: ANALYSTS, tag: 'models', summary: 'One version of a model' },

  { method: 'post', path: '/definitions', allow: STAFF, tag: 'engine', summary: 'Deploy a BPMN model (application/xml); each executable process of a file of several is a definition of its own, listed in `definitions`' },
  { method: 'get', path: '/definitions', allow: 'signed-in', tag: 'engine', summary: 'Deployed definitions' },
  { method: 'get', path: '/definitions/:key/:version', allow: 'signed-in', tag: 'engine', summary: 'A deployed version of a process as BPMN XML' },
  { method: 'post', path: '/definitions/:key/instances', allow: ['citizen', 'staff', 'admin'], tag: 'engine', summary: "Start an instance; a citizen's becomes their own dossier" },
  { method: 'get', path: '/instances/:id', allow: DOSSIER_READERS, scope: 'instance', tag: 'engine', summary: 'Where an instance stands' },
  { method: 'get', path: '/instances', allow: DOSSIER_READERS, scope: 'caller-instance', tag: 'engine', summary: 'The instances an instance started' },
  { method: 'get', path: '/instances/:id/history', allow: DOSSIER_READERS, scope: 'instance', tag: 'engine', summary: "An instance's history" },
  { method: 'get', path: '/tasks', allow: ['official', 'admin'], tag: 'engine', summary: "Open user tasks: an official's agencies' only" },
  { method: 'get', path: '/tasks/:id', allow: ['official', 'admin'], scope: 'task', tag: 'engine', summary: 'One task with its decision form and dossier' },
  { method: 'post', path: '/tasks/:id/complete', allow: ['official', 'admin'], scope: 'task', tag: 'engine', summary: 'Complete a user task as the signed-in official (its decision form checked)' },
  { method: 'post', path: '/tasks/:id/claim', allow: ['official', 'admin'], scope: 'task', tag: 'engine', summary: 'Claim a task of your lanes' },
  { method: 'post', path: '/tasks/:id/unclaim', allow: ['official', 'admin'], scope: 'task', tag: 'engine', summary: 'Give a claimed task back to the lane' },
  { method: 'post', path: '/tasks/:id/assign', allow: ['official', 'admin'], scope: 'task', tag: 'engine', summary: 'Assign a task to a colleague who holds its lane' },
  { method: 'post', path: '/messages', allow: ['worker', 'admin'], tag: 'engine', summary: 'Deliver a message to waiting instances' },
  { method: 'post', path: '/signals', allow: ['worker', 'staff', 'admin'], tag: 'engine', summary: 'Broadcast a signal: every instance waiting for it, and a new instance of each process a signal start event of it starts (BPMN 2.0 §10.5.6)' },
  { method: 'post', path: '/conditions/evaluate', allow: ['worker', 'staff', 'admin'], tag: 'engine', summary: 'Start each process whose conditional start event holds over the data sent (latest versions)' },
  { method: 'get', path: '/jobs', allow: ['worker', 'admin'], tag: 'engine', summary: "Open external jobs (a worker token's job types only)" },
  { method: 'post', path: '/jobs/:id/complete', allow: ['worker', 'admin'], scope: 'job', tag: 'engine', summary: 'Complete an external job' },
  { method: 'post', path: '/jobs/:id/fail', allow: ['worker', 'admin'], scope: 'job', tag: 'engine', summary: 'Report an external job failed' },
  { method: 'get', path: '/incidents', allow: OPERATORS, tag: 'engine', summary: 'Open incidents' },
  { method: 'post', path: '/incidents/:id/retry', allow: OPERATORS, tag: 'engine', summary: 'Retry an incident' },
  { method: 'get', path: '/calendars', allow: 'signed-in', tag: 'engine', summary: "Agencies' working calendars" },
  { method: 'put', path: '/calendars/:agency', allow: ['admin'], tag: 'engine', summary: "Set an agency's working calendar" },
  { method: 'delete', path: '/calendars/:agency', allow: ['admin'], tag: 'engine', summary: "Back to the default working calendar" },

  { method: 'post', path: '/analysis/procedure', allow: ANALYSTS, tag: 'analysis', summary: "One model's cost, element by element" },
  { method: 'post', path: '/analysis/cost', allow: ANALYSTS, tag: 'analysis', summary: 'Before/after cost of a restructuring (Circular 01 Art. 18)' },
  { method: 'post', path: '/analysis/cost/report', allow: ANALYSTS, tag: 'analysis', summary: 'The restructuring report as .xlsx or PDF' },
  { method: 'post', path: '/analysis/simulate', allow: ANALYSTS, tag: 'analysis', summary: 'Monte Carlo simulation of dossiers' },
  { method: 'post', path: '/analysis/sensitivity', allow: ANALYSTS, tag: 'analysis', summary: 'What moves the savings most' },
  { method: 'post', path: '/analysis/classify', allow: ANALYSTS, tag: 'analysis', summary: 'Online-service level (Circular 01 Art. 13)' },
  { method: 'post', path: '/analysis/lint', allow: ANALYSTS, tag: 'analysis', summary: 'Lint and procedure rules' },
  // The catalogue is the published list of procedures: public, as procedures must be (Decree 45 Art. 4).
  { method: 'get', path: '/catalogue', allow: 'public', tag: 'catalogue', summary: 'The catalogue of procedures' },
  // Issue 16: the analyst's summary across the catalogue, like one entry's analysis (before /catalogue/:id, which would match it).
  { method: 'get', path: '/catalogue/summary', allow: ANALYSTS, tag: 'catalogue', summary: "The restructuring of every catalogue procedure on one row, with the catalogue's totals" },
  { method: 'get', path: '/catalogue/summary.xlsx', allow: ANALYSTS, tag: 'catalogue', summary: 'The catalogue summary as an .xlsx workbook (?language=en for English)' },
  { method: 'get', path: '/catalogue/:id', allow: 'public', tag: 'catalogue', summary: 'One procedure of the catalogue' },
  { method: 'get', path: '/catalogue/:id/:model.bpmn', allow: 'public', tag: 'catalogue', summary: "A catalogue procedure's as-is or to-be model" },
  { method: 'get', path: '/catalogue/:id/analysis', allow: ANALYSTS, tag: 'catalogue', summary: "A catalogue procedure's restructuring analysis" },

  // Refunds (Circular 01 Art. 29–30; server/http/payment-refunds.ts): the collecting agency's officials; another agency's claims answer 404.
  { method: 'get', path: '/payments/refunds', allow: ['official', 'admin'], tag: 'payments', summary: "Refund claims of the caller's collecting agencies (?agency=&status=&transactionCode=)" },
  { method: 'post', path: '/payments/refunds', allow: ['official'], tag: 'payments', summary: 'Prepare a refund claim on a paid transaction: an official holding "Lập chứng từ hoàn trả khoản thu NSNN" (Art. 30.1, 30.2.a, 29.1)' },
  { method: 'get', path: '/payments/refunds/:id', allow: ['official', 'admin'], tag: 'payments', summary: 'One refund claim and where it stands (Art. 30.2.c)' },
  { method: 'post', path: '/payments/refunds/:id/approve', allow: ['official'], tag: 'payments', summary: 'Approve a refund claim and send it to the provider: another official holding "Duyệt chứng từ hoàn trả" (Art. 30.2.b–c)' },
  { method: 'post', path: '/payments/refunds/:id/reject', allow: ['official'], tag: 'payments', summary: 'Reject a refund claim with a reason: another official holding "Duyệt chứng từ hoàn trả" (Art. 30.2.b)' },
  { method: 'post', path: '/payments/refunds/:id/send', allow: ['official'], tag: 'payments', summary: 'Send an approved refund order again when the provider could not be reached (Art. 30.2.c)' },
  { method: 'post', path: '/payments/refund-callbacks/:provider', allow: 'public', tag: 'payments', summary: "A payment provider's signed notification of a refund's outcome; believed only when its signature verifies" },
  // Monitoring (issue 14, docs/monitoring.md): operators everything, an agency's leaders and one-stop desk its dossiers (server/monitoring/access.ts), citizens never.
  { method: 'get', path: '/monitoring/search', allow: MONITORS, tag: 'monitoring', summary: 'Find dossiers and instances by code, business key, applicant, procedure, agency, status, dates' },
  { method: 'get', path: '/monitoring/instances/:id', allow: MONITORS, tag: 'monitoring', summary: 'An instance: where it stands, the path taken, counts per element, incidents (variables to staff and admin)' },
  { method: 'get', path: '/monitoring/instances/:id/history', allow: MONITORS, tag: 'monitoring', summary: "An instance's history (changed variables to staff and admin)" },
  { method: 'post', path: '/monitoring/instances/:id/cancel', allow: OPERATORS, tag: 'monitoring', summary: 'Cancel a running instance, with a reason (audited)' },
  { method: 'post', path: '/monitoring/instances/:id/move', allow: OPERATORS, tag: 'monitoring', summary: 'Move a stuck token to another step of the same scope, with a reason (audited)' },
  { method: 'post', path: '/monitoring/instances/:id/migrate', allow: OPERATORS, tag: 'monitoring', summary: 'Migrate a running instance to a newer version where the mapping is proven, with a reason (audited)' },
  { method: 'post', path: '/monitoring/procedures/:key/migrate', allow: OPERATORS, tag: 'monitoring', summary: "Migrate a version's running instances to a newer version, a limited batch at a time; those without a proven mapping listed" },
  { method: 'get', path: '/monitoring/procedures/:key/migration-preview', allow: OPERATORS, tag: 'monitoring', summary: "What migrating a version's running instances would do: how many map, and those that do not by the elements without a counterpart" },
  { method: 'get', path: '/monitoring/procedures/:key', allow: MONITORS, tag: 'monitoring', summary: 'A procedure as a heat map: dossiers at each step now, their average wait, overdue first' },
  // A collecting agency's payments (docs/payments.md "The accountant's screen and API"): officials of the agency (payment-accounting.ts checks the agency, 404 for another, and the function, 403) and admin.
  { method: 'get', path: '/payments/agencies/:agency/transactions', allow: ['official', 'admin'], tag: 'payments', summary: "The agency's payment transactions, newest first (?status, ?day, ?code, ?flagged)" },
  { method: 'get', path: '/payments/agencies/:agency/transactions/:id', allow: ['official', 'admin'], tag: 'payments', summary: 'One payment transaction with its revenue data and callbacks' },
  { method: 'post', path: '/payments/agencies/:agency/transactions/:id/marks', allow: ['official', 'admin'], tag: 'payments', summary: 'Record "Documents received", "Payment received" or "Payment received by the State Treasury" (Circular 01 Art. 28.3–28.4): a specialist or approver' },
  { method: 'get', path: '/payments/agencies/:agency/reconciliations', allow: ['official', 'admin'], tag: 'payments', summary: "The days reconciled, latest first, with the agency's mismatches" },
  { method: 'get', path: '/payments/agencies/:agency/reconciliations/:day', allow: ['official', 'admin'], tag: 'payments', summary: "A day's reconciliation with the agency's mismatches (Decree 45 Art. 13.7.d)" },
  { method: 'post', path: '/payments/agencies/:agency/reconciliations', allow: ['official', 'admin'], tag: 'payments', summary: "Reconcile a day (T-1 review, Circular 01 Art. 28.2) against the provider's statement or a statement file" },
  { method: 'get', path: '/payments/agencies/:agency/collection-settings', allow: ['official', 'admin'], tag: 'payments', summary: "The agency's collection settings (Circular 01 Art. 27.1)" },
  { method: 'put', path: '/payments/agencies/:agency/collection-settings', allow: ['official', 'admin'], tag: 'payments', summary: "Replace the agency's collection settings: an approver of the agency" },
  // The e-data store (Circular 01 Art. 24, Decree 45 Art. 16; server/http/datastore.ts, docs/datastore.md): the owner all of it; an official what Art. 24.3's hierarchy gives (server/datastore/access.ts), another holder's store 404, every such read audited.
  { method: 'get', path: '/datastore', allow: ['citizen'], tag: 'datastore', summary: "The caller's own e-data store: the holder's identity (Art. 24.2.a)" },
  { method: 'get', path: '/datastore/:section', allow: ['citizen'], tag: 'datastore', summary: "A section of the caller's own store, paged (Art. 24.2 b–g): dossiers with their history, results (annulled ones marked), certified copies, digitized documents (with metadata and validity), uploads with their signature check" },
  { method: 'get', path: '/datastore/holders/:holderId', allow: ['citizen', 'official'], tag: 'datastore', summary: "A holder's store: its owner, or an official of an agency handling a dossier of theirs (audited); others 404" },
  { method: 'get', path: '/datastore/holders/:holderId/:section', allow: ['citizen', 'official'], tag: 'datastore', summary: "A section of a holder's store as the reader may see it (Art. 24.3; audited for an official)" },

  { method: 'get', path: '/service-publications', allow: STAFF, tag: 'publications', summary: 'Online services published and their test runs, newest first (Circular 01/2023 Art. 20; ?status=testing|tested|stopped)' },
  { method: 'get', path: '/service-publications/:key', allow: STAFF, tag: 'publications', summary: "A service's current publication, its due time, test record and the tested dossier's evidence (Art. 20.2)" },
  { method: 'post', path: '/service-publications/:key/test-run', allow: STAFF, tag: 'publications', summary: 'Record the test run: items a–đ, the tested dossier and service codes (Art. 20.2.đ), before the 05 working days end' },
  { method: 'post', path: '/service-publications/:key/republish', allow: STAFF, tag: 'publications', summary: 'Publish the service again with a new 05-working-day test period (after a stop, Art. 20.3)' },
  // Indicators (issue 14, docs/indicators.md): Decision 766's groups per agency, procedure and period; officials their own agencies' (server/indicators/access.ts), staff, analysts and admin all; the applicant rates their ended dossier once.
  { method: 'get', path: '/indicators', allow: ['official', 'staff', 'analyst', 'admin'], tag: 'indicators', summary: "Decision 766's indicators per agency and procedure over a period (?from, ?to, ?agency, ?procedure), numerators and denominators" },
  { method: 'get', path: '/indicators.xlsx', allow: ['official', 'staff', 'analyst', 'admin'], tag: 'indicators', summary: 'The same indicators as an .xlsx workbook, with the formulas' },
  { method: 'get', path: '/indicators/half-yearly.xlsx', allow: ['official', 'staff', 'analyst', 'admin'], tag: 'indicators', summary: 'The half-yearly report of Decree 45 Art. 26.9 / 27.8 (?year, ?half: 1 due 15 June, 2 due 15 December) as .xlsx' },
  { method: 'post', path: '/dossiers/:id/rating', allow: ['citizen'], scope: 'dossier', tag: 'indicators', summary: "Rate one's own ended dossier once, 1–5 with an optional comment (satisfaction, Decision 766)" },
  // Calibration and conformance (issue 14, docs/calibration.md): procedure-control staff and analysts, as the cost analyses.
  { method: 'post', path: '/procedures/:key/calibrate', allow: ANALYSTS, tag: 'analysis', summary: "Measure a deployed procedure's steps, branches and amendment loop on its history; store the calibrated model as a new version" },
  { method: 'get', path: '/calibrations/:id/nonconforming', allow: ANALYSTS, tag: 'analysis', summary: 'The dossiers of a calibration that did not follow the model (a step no flow reaches, a manual move, a stop), paged' },
  // Models as staff manage them (docs/models.md): rename, bin, duplicate; deployments of saved versions with who and when, and rollback.
  { method: 'patch', path: '/models/:id', allow: STAFF, tag: 'models', summary: 'Rename a model (409 when a model of its stage has the name)' },
  { method: 'delete', path: '/models/:id', allow: STAFF, tag: 'models', summary: 'Move a model to the bin (GET /models?bin=true lists it)' },
  { method: 'post', path: '/models/:id/restore', allow: STAFF, tag: 'models', summary: 'Bring a model back from the bin' },
  { method: 'post', path: '/models/:id/duplicates', allow: STAFF, tag: 'models', summary: "A copy of a model's latest version as a new model" },
  { method: 'get', path: '/models/:id/deployments', allow: ANALYSTS, tag: 'models', summary: "A model's deployments, newest first, with who and when" },
  { method: 'post', path: '/models/:id/deployments', allow: STAFF, tag: 'models', summary: 'Deploy a saved version of a to-be model (409 when it removes a signing step, until confirmed)' },
  { method: 'post', path: '/models/:id/deployments/:deploymentId/rollback', allow: STAFF, tag: 'models', summary: 'Deploy the version of an earlier deployment again (recorded as a new deployment)' },
];
