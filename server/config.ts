import path from 'node:path';
import { z } from 'zod';
import { QuyTrinhError } from '../engine/errors.ts';
import { projectRoot } from './paths.ts';
import { DEFAULT_ANALYSIS_LIMITS } from './workers/analysis-pool.ts';

/** An unset or empty variable is "not set" (an empty line in an env file is not a value). */
const optionalText = z.string().trim().optional().transform((value) => (value === '' ? undefined : value));
const textOr = (fallback: string) => optionalText.transform((value) => value ?? fallback);

/** A loopback host: the only place a provider may be reached over plain http (a test or a developer's own provider). */
export function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
const MAIL_REQUIRED = ['SMTP_URL', 'MAIL_FROM'] as const;
const PAYMENT_REQUIRED = ['PAYMENT_SANDBOX_URL', 'PAYMENT_SANDBOX_SECRET'] as const;

/**
 * Configuration comes from the environment only, validated here once. Every setting has a
 * default, so `npm start` on a fresh clone needs none of them.
 */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The product's public address (https://dichvucong.example.gov.vn): where the QR codes of printed notices lead. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://dichvucong.example.gov.vn' }).optional(),
  /** When unset, the product starts its own embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds to wait for the database before giving up with a clear message. */
  DATABASE_CONNECT_TIMEOUT: z.coerce.number().positive().max(600).default(10),
  /** Seconds the running product waits for a lost database to come back before it exits (for its supervisor to restart it). */
  DATABASE_RECOVERY_TIMEOUT: z.coerce.number().positive().max(3600).default(120),
  /** Seconds an analysis request (simulation, report, ...) may take before it is stopped. */
  ANALYSIS_TIMEOUT: z.coerce.number().positive().max(3600).default(DEFAULT_ANALYSIS_LIMITS.timeoutMs / 1000),
  /** Analysis requests that may wait for a thread; more are refused with 503 and Retry-After. */
  ANALYSIS_QUEUE: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_ANALYSIS_LIMITS.maxQueue),
  /**
   * Single sign-on (Circular 01 Art. 23.2: the National Public Service Portal's SSO and the national
   * identity provider speak OpenID Connect). Issuer, client id and secret together turn it on.
   */
  OIDC_ISSUER: optionalText.refine((value) => value === undefined || URL.canParse(value), 'must be a URL (the provider\'s issuer identifier)'),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_REDIRECT_URL: optionalText.refine((value) => value === undefined || URL.canParse(value), 'must be a URL ending in /api/session/sso/callback'),
  OIDC_SCOPES: textOr('openid profile').refine((value) => value.split(/\s+/).includes('openid'), 'must include openid'),
  OIDC_NAME: optionalText,
  OIDC_PERSONAL_ID_CLAIM: textOr('personal_id'),
  OIDC_LEVEL2_CLAIM: textOr('acr'),
  OIDC_LEVEL2_VALUES: optionalText,
  OIDC_TOKEN_AUTH: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
  /** The SMTP server the applicant's notices are e-mailed through (docs/dossiers.md), e.g. smtp://mail.example.gov.vn:587; unset: notices stay in the portal's inbox only. */
  SMTP_URL: optionalText.refine((value) => value === undefined || (URL.canParse(value) && ['smtp:', 'smtps:'].includes(new URL(value).protocol)), 'must be an smtp:// or smtps:// URL'),
  /** The sender of those e-mails, e.g. "Một cửa điện tử <motcua@example.gov.vn>". */
  MAIL_FROM: optionalText.refine((value) => value === undefined || value.includes('@'), 'must be an e-mail address'),
  /**
   * A payment sandbox already running (`quytrinh payment-sandbox`) and its shared secret: every
   * process that runs jobs or takes callbacks uses it (docs/payments.md). Unset: `quytrinh start`
   * starts its own on loopback; a separate `quytrinh worker` then has no provider for payment steps.
   */
  PAYMENT_SANDBOX_URL: optionalText.refine((value) => value === undefined || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)), 'must be an http(s) URL such as http://127.0.0.1:3100'),
  PAYMENT_SANDBOX_SECRET: optionalText,
}).superRefine((env, context) => {
  const missing = OIDC_REQUIRED.filter((name) => env[name] === undefined);
  if (missing.length > 0 && missing.length < OIDC_REQUIRED.length) {
    for (const name of missing) {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `required with ${OIDC_REQUIRED.filter((other) => !missing.includes(other)).join(' and ')}: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together (or none of them)`,
        params: { vi: `cần đặt cùng ${OIDC_REQUIRED.filter((other) => !missing.includes(other)).join(' và ')}: đăng nhập một lần (SSO) cần đủ cả OIDC_ISSUER, OIDC_CLIENT_ID và OIDC_CLIENT_SECRET (hoặc không đặt biến nào)` },
      });
    }
  }
  const mailMissing = MAIL_REQUIRED.filter((name) => env[name] === undefined);
  if (mailMissing.length === 1) {
    context.addIssue({
      code: 'custom',
      path: [mailMissing[0]!],
      message: 'e-mailing notices needs SMTP_URL and MAIL_FROM together (or neither)',
      params: { vi: 'gửi thông báo qua thư điện tử cần đặt cả SMTP_URL và MAIL_FROM (hoặc không đặt biến nào)' },
    });
  }
  const paymentMissing = PAYMENT_REQUIRED.filter((name) => env[name] === undefined);
  if (paymentMissing.length === 1) {
    context.addIssue({
      code: 'custom',
      path: [paymentMissing[0]!],
      message: 'an external payment sandbox needs PAYMENT_SANDBOX_URL and PAYMENT_SANDBOX_SECRET together (or neither)',
      params: { vi: 'dùng cổng thanh toán thử nghiệm bên ngoài cần đặt cả PAYMENT_SANDBOX_URL và PAYMENT_SANDBOX_SECRET (hoặc không đặt biến nào)' },
    });
  }
  // Tokens and the ID token's keys travel from the provider: only TLS protects them, except on this machine.
  if (env.OIDC_ISSUER !== undefined && URL.canParse(env.OIDC_ISSUER)) {
    const issuer = new URL(env.OIDC_ISSUER);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer))) {
      context.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'must be an https:// URL (plain http only for a provider on this machine)',
        params: { vi: 'phải là địa chỉ https:// (http thường chỉ dùng cho nhà cung cấp chạy trên chính máy này)' },
      });
    }
  }
});

export interface Config {
  port: number;
  host: string;
  /** Where printed QR codes lead; unset, the address the request came to. */
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  databaseConnectTimeoutMs: number;
  databaseRecoveryTimeoutMs: number;
  analysisTimeoutMs: number;
  analysisQueue: number;
  /** Single sign-on with an OpenID provider; undefined when not configured. */
  oidc: OidcSettings | undefined;
  /** Where the applicant's notices are e-mailed through; undefined: not e-mailed. */
  mail: MailSettings | undefined;
  /** An external payment sandbox; undefined: `start` runs its own. */
  paymentSandbox: { url: string; secret: string } | undefined;
}

export interface MailSettings {
  /** The SMTP server, as nodemailer takes it: smtp[s]://[user:password@]host:port. */
  url: string;
  from: string;
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
  /** Where the provider sends the browser back; undefined: `<request origin>/api/session/sso/callback`. */
  redirectUrl: string | undefined;
  scopes: string;
  /** The provider's name on the sign-in button (e.g. VNeID). */
  name: string;
  /** The claim holding the 12-digit personal ID number, which becomes the username. */
  personalIdClaim: string;
  /** A citizen is identified at level 2 (Decree 45 Art. 8) when this claim holds one of `level2Values`. */
  level2Claim: string;
  level2Values: string[];
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.'),
      message: issue.message,
      // A rule written for people (the SSO settings) carries its Vietnamese text in `params.vi`.
      messages: { vi: issue.code === 'custom' && typeof issue.params?.vi === 'string' ? issue.params.vi : issue.message, en: issue.message },
    }));
    const fields = (language: 'vi' | 'en') => details.map((detail) => `${detail.field}: ${detail.messages[language]}`).join('; ');
    throw new QuyTrinhError('invalid-input', 'config.invalid', {
      vi: `Cấu hình môi trường không hợp lệ (${fields('vi')})`,
      en: `Invalid environment configuration (${fields('en')})`,
    }, details);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    databaseConnectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT * 1000,
    analysisTimeoutMs: env.ANALYSIS_TIMEOUT * 1000,
    analysisQueue: env.ANALYSIS_QUEUE,
    oidc: env.OIDC_ISSUER === undefined || env.OIDC_CLIENT_ID === undefined || env.OIDC_CLIENT_SECRET === undefined ? undefined : {
      issuer: new URL(env.OIDC_ISSUER),
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      tokenAuth: env.OIDC_TOKEN_AUTH,
      redirectUrl: env.OIDC_REDIRECT_URL,
      scopes: env.OIDC_SCOPES,
      name: env.OIDC_NAME ?? new URL(env.OIDC_ISSUER).host,
      personalIdClaim: env.OIDC_PERSONAL_ID_CLAIM,
      level2Claim: env.OIDC_LEVEL2_CLAIM,
      level2Values: (env.OIDC_LEVEL2_VALUES ?? '').split(',').map((value) => value.trim()).filter((value) => value !== ''),
    },
    databaseRecoveryTimeoutMs: env.DATABASE_RECOVERY_TIMEOUT * 1000,
    mail: env.SMTP_URL === undefined || env.MAIL_FROM === undefined ? undefined : { url: env.SMTP_URL, from: env.MAIL_FROM },
    paymentSandbox: env.PAYMENT_SANDBOX_URL === undefined || env.PAYMENT_SANDBOX_SECRET === undefined ? undefined : { url: env.PAYMENT_SANDBOX_URL.replace(/\/+$/, ''), secret: env.PAYMENT_SANDBOX_SECRET },
  };
}
