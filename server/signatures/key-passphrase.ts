/**
 * The passphrase that encrypts every signing key the product stores (docs/signatures.md). The
 * keys live in PostgreSQL inside PKCS#12 files (AES-256, PBKDF2); this passphrase lives apart from
 * them, in `<DATA_DIR>/signing-keys.secret` (mode 0600), made on first need. A database backup
 * alone therefore cannot sign; restoring one needs this file too, and every server sharing one
 * database must share it. The passphrase is never logged nor sent.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QuyTrinhError } from '../../engine/errors.ts';
import { loadConfig } from '../config.ts';

export const PASSPHRASE_FILE = 'signing-keys.secret';
const known = new Map<string, Promise<string>>();

/** The passphrase of `dataDir` (default: the configured DATA_DIR), created there when absent. */
export function keyPassphrase(dataDir: string = loadConfig().dataDir): Promise<string> {
  const file = path.join(dataDir, PASSPHRASE_FILE);
  let passphrase = known.get(file);
  if (!passphrase) {
    passphrase = readOrCreate(file);
    known.set(file, passphrase);
    passphrase.catch(() => known.delete(file));
  }
  return passphrase;
}

async function readOrCreate(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // `wx`: two processes starting together keep the one file the first wrote.
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const passphrase = (await readFile(file, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(passphrase)) {
    throw new QuyTrinhError('unavailable', 'signature.passphrase-unreadable', {
      vi: `Tệp khoá bảo vệ khoá ký số ${file} không hợp lệ (cần 64 ký tự hex)`,
      en: `The signing-key passphrase file ${file} is not valid (64 hex characters expected)`,
    });
  }
  return passphrase;
}
