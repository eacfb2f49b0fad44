import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Passwords are hashed with argon2id (OWASP's first choice) through the maintained `argon2`
 * package; session and token secrets are 256 random bits, so a SHA-256 of them is enough at rest
 * and cheap enough to check on every request.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // An account without a password (single sign-on only) still costs the caller a hash, so the
  // answer's timing does not tell which accounts exist.
  if (!hash) {
    await argon2.hash(password, { type: argon2.argon2id });
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A password a person can type, for the first administrator and the demo accounts. */
export function newPassword(): string {
  return randomBytes(12).toString('base64url');
}
