import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authorize } from '../access/authorize.ts';
import { RequestAuditLog, type AuditSink } from '../audit/request-log.ts';
import type { OidcSettings } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { sharedAnalysisPool, type AnalysisPool } from '../workers/analysis-pool.ts';
import type { PdfPool } from '../workers/pdf-pool.ts';
import { modelStore } from '../models/store.ts';
import { analysisRouter } from './analysis.ts';
import { auditRouter } from './audit.ts';
import { datastoreRouter } from './datastore.ts';
import { calendarsRouter } from './calendars.ts';
import { catalogueRouter } from './catalogue.ts';
import { definitionsRouter } from './definitions.ts';
import { dossiersRouter } from './dossiers.ts';
import { MAX_DOSSIER_REQUEST_BYTES } from '../dossiers/components.ts';
import { healthRouter } from './health.ts';
import { identityRouter } from './identity.ts';
import { instancesRouter } from './instances.ts';
import { jsonBody, MAX_JSON_REQUEST_BYTES, MAX_MODEL_REQUEST_BYTES, refuseUnsafeQuery } from './input-limits.ts';
import { jobsRouter } from './jobs.ts';
import { lookupRouter } from './lookup.ts';
import { messagesRouter } from './messages.ts';
import { signalsRouter } from './signals.ts';
import { conditionsRouter } from './conditions.ts';
import { ssoRouter } from './sso.ts';
import { tasksRouter } from './tasks.ts';
import { modelsRouter } from './models.ts';
import { modelDeploymentsRouter } from './model-deployments.ts';
import { monitoringRouter } from './monitoring.ts';
import { openApiRouter } from './openapi.ts';
import { paymentsRouter } from './payments.ts';
import { paymentRefundsRouter } from './payment-refunds.ts';
import { paymentAccountingRouter } from './payment-accounting.ts';
import { servicePublicationsRouter } from './service-publications.ts';
import { MAX_SIGNATURE_REQUEST_BYTES, signaturesRouter } from './signatures.ts';
import { digitizationRouter } from './digitization.ts';
import { indicatorsRouter } from './indicators.ts';
import { calibrationRouter } from './calibration.ts';
import { notFoundHandler, problemHandler } from './problem.ts';

export interface AppOptions {
  db: Database;
  logger: Logger;
  version: string;
  embeddedDatabase: boolean;
  /** The built designer (vite build output); served at `/` when present. */
  designerDir?: string | undefined;
  /** Instead of a build: Vite's dev server (`npm run dev`), which serves the designer with hot reload. */
  designerMiddleware?: express.RequestHandler | undefined;
  /** Where state-changing requests are recorded; the product flushes it on stop. */
  auditLog?: AuditSink | undefined;
  /**
   * Who is calling and what they may do: the route policy table (access/authorize.ts). Replaced
   * only by the benchmark's baseline, which measures the product without authentication.
   */
  authorizer?: express.RequestHandler | undefined;
  /** The threads the analyses run on (the product's, with its configured limits); a shared default one otherwise. */
  analysisPool?: AnalysisPool | undefined;
  /** The threads notices and results are printed and signed on; the process's shared one otherwise (workers/pdf-pool.ts). */
  pdfPool?: PdfPool | undefined;
  /** Single sign-on with an OpenID provider, when configured. */
  oidc?: OidcSettings | undefined;
  /** The product's public address, where printed QR codes lead; unset, the address each request came to. */
  publicUrl?: string | undefined;
}

/** The express application: the JSON API under /api and the designer at /. */
export function createApp({ db, logger, version, embeddedDatabase, designerDir, designerMiddleware, auditLog = new RequestAuditLog(db, logger), authorizer = authorize(db), analysisPool = sharedAnalysisPool(), pdfPool, oidc, publicUrl }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Security headers; the CSP is what the built designer needs (bpmn-js sets inline styles and
  // draws images from data: URLs). Vite's dev server injects inline scripts: no CSP in dev.
  app.use(helmet({
    contentSecurityPolicy: designerMiddleware ? false : {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  }));
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (request) => !request.url?.startsWith('/api/') },
      // One short line per API call; headers and bodies stay out of the log.
      serializers: {
        req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ status: response.statusCode }),
      },
    }),
  );

  const api = express.Router();
  // Every request is recorded (when it changes state) and authorised before any router reads its body.
  api.use(auditLog.middleware());
  api.use(refuseUnsafeQuery);
  api.use(authorizer);
  api.use(openApiRouter(version));
  // Deployment reads XML itself; every other body is JSON, models' larger than the rest (input-limits.ts).
  api.use(definitionsRouter(db));
  // Before the JSON parser: a provider's callback is verified over its raw body (docs/payments.md).
  api.use(paymentsRouter(db));
  api.use(['/models', '/analysis'], jsonBody(MAX_MODEL_REQUEST_BYTES));
  // An application carries its components in base64: a larger body than other JSON (dossiers/components.ts).
  api.use('/dossiers', jsonBody(MAX_DOSSIER_REQUEST_BYTES));
  // A PDF to verify comes in base64: a larger body than other JSON (http/signatures.ts).
  api.use('/signatures', jsonBody(MAX_SIGNATURE_REQUEST_BYTES));
  api.use(jsonBody(MAX_JSON_REQUEST_BYTES));
  api.use(healthRouter({ db, version, embeddedDatabase }));
  api.use(identityRouter(db, oidc));
  api.use(ssoRouter(db, oidc, auditLog));
  api.use(lookupRouter(db));
  api.use(dossiersRouter(db, publicUrl, pdfPool));
  api.use(signaturesRouter(db));
  api.use(digitizationRouter(db));
  api.use(auditRouter(db));
  api.use(modelsRouter(modelStore(db)));
  api.use(instancesRouter(db));
  api.use(tasksRouter(db));
  api.use(messagesRouter(db));
  api.use(signalsRouter(db));
  api.use(conditionsRouter(db));
  api.use(jobsRouter(db));
  api.use(analysisRouter(analysisPool));
  api.use(catalogueRouter(analysisPool));
  api.use(calendarsRouter(db));
  api.use(paymentRefundsRouter(db));
  api.use(monitoringRouter(db));
  api.use(paymentAccountingRouter(db));
  api.use(datastoreRouter(db));
  api.use(servicePublicationsRouter(db));
  api.use(indicatorsRouter(db));
  api.use(calibrationRouter(db, analysisPool));
  api.use(modelDeploymentsRouter(db));
  api.use(notFoundHandler);
  app.use('/api', api);

  if (designerMiddleware) {
    app.use(designerMiddleware);
  } else if (designerDir && existsSync(path.join(designerDir, 'index.html'))) {
    app.use(express.static(designerDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
    // The designer is a single-page app: any other path is one of its screens.
    app.get('/{*screen}', (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(path.join(designerDir, 'index.html'));
    });
  }

  app.use(problemHandler(logger));
  return app;
}

function noCacheForHtml(response: express.Response, file: string): void {
  if (file.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
