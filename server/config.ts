import path from 'node:path';
import { z } from 'zod';
import { QuyTrinhError } from '../engine/errors.ts';
import { projectRoot } from './paths.ts';

/**
 * Configuration comes from the environment only, validated here once. Every setting has a
 * default, so `npm start` on a fresh clone needs none of them.
 */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
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
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  databaseConnectTimeoutMs: number;
  databaseRecoveryTimeoutMs: number;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.'),
      message: issue.message,
    }));
    const fields = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
    throw new QuyTrinhError('invalid-input', 'config.invalid', {
      vi: `Cấu hình môi trường không hợp lệ (${fields})`,
      en: `Invalid environment configuration (${fields})`,
    }, details);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    databaseConnectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT * 1000,
    databaseRecoveryTimeoutMs: env.DATABASE_RECOVERY_TIMEOUT * 1000,
  };
}
