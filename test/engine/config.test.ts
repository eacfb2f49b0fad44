import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuyTrinhError } from '../../engine/errors.ts';
import { loadConfig } from '../../server/config.ts';
import { projectRoot } from '../../server/paths.ts';

/** The variables a configuration is refused for, or none. */
function refusedFields(env: Record<string, string>): Array<string | undefined> {
  try {
    loadConfig(env);
  } catch (caught) {
    return (caught as QuyTrinhError).details.map((detail) => detail.field);
  }
  return [];
}

describe('loadConfig', () => {
  it('needs no setting at all', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: path.join(projectRoot, '.data'),
      logLevel: 'info',
      databaseConnectTimeoutMs: 10_000,
      analysisTimeoutMs: 60_000,
      analysisQueue: 32,
      databaseRecoveryTimeoutMs: 120_000,
    });
  });

  it('reads the environment', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://u@db:5433/qt', DATA_DIR: 'relative', LOG_LEVEL: 'debug' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgresql://u@db:5433/qt', dataDir: path.resolve('relative'), logLevel: 'debug' });
  });

  it('treats an empty DATABASE_URL as unset (the embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('e-mails notices through SMTP_URL from MAIL_FROM, both or neither, an smtp:// or smtps:// URL', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.vn:587', MAIL_FROM: 'Một cửa <motcua@example.vn>' }).mail).toEqual({ url: 'smtp://mail.example.vn:587', from: 'Một cửa <motcua@example.vn>' });
    expect(loadConfig({ SMTP_URL: '', MAIL_FROM: '' }).mail).toBeUndefined();
    expect(refusedFields({ SMTP_URL: 'smtp://mail.example.vn' })).toEqual(['MAIL_FROM']);
    expect(refusedFields({ MAIL_FROM: 'motcua@example.vn' })).toEqual(['SMTP_URL']);
    expect(refusedFields({ SMTP_URL: 'http://mail.example.vn', MAIL_FROM: 'motcua' })).toEqual(['SMTP_URL', 'MAIL_FROM']);
  });

  it('uses an external payment sandbox given by PAYMENT_SANDBOX_URL and PAYMENT_SANDBOX_SECRET, both or neither', () => {
    expect(loadConfig({ PAYMENT_SANDBOX_URL: 'http://127.0.0.1:3100/', PAYMENT_SANDBOX_SECRET: 's3cret' }).paymentSandbox).toEqual({ url: 'http://127.0.0.1:3100', secret: 's3cret' });
    expect(loadConfig({}).paymentSandbox).toBeUndefined();
    expect(refusedFields({ PAYMENT_SANDBOX_URL: 'http://127.0.0.1:3100' })).toEqual(['PAYMENT_SANDBOX_SECRET']);
    expect(refusedFields({ PAYMENT_SANDBOX_URL: 'ftp://bank', PAYMENT_SANDBOX_SECRET: 'x' })).toEqual(['PAYMENT_SANDBOX_URL']);
  });

  it('names every invalid variable', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'ba nghìn', LOG_LEVEL: 'loud' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(QuyTrinhError);
    expect((error as QuyTrinhError).details.map((detail) => detail.field)).toEqual(['PORT', 'LOG_LEVEL']);
  });
});
