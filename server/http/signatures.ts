import { Router } from 'express';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { MAX_COMPONENT_BYTES } from '../dossiers/components.ts';
import { verifyStoredTrust } from '../signatures/verify-pdf.ts';
import { validate } from './problem.ts';

/** A PDF to verify is at most a dossier component's size; its JSON carries it in base64 (4/3) with room for the rest. */
export const MAX_SIGNATURE_REQUEST_BYTES = Math.ceil((MAX_COMPONENT_BYTES * 4) / 3) + 64 * 1024;

const verifyBody = z.object({
  contentBase64: z.string().min(1, 'required').max(Math.ceil((MAX_COMPONENT_BYTES * 4) / 3) + 4, `at most ${MAX_COMPONENT_BYTES} bytes once decoded`).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});

/**
 * `POST /api/signatures/verify` (docs/signatures.md): whoever holds a signed result checks it
 * (Decree 45 Art. 14.3.b; Circular 01 Art. 9). The body is JSON `{contentBase64}` (the
 * authorisation middleware reads JSON and XML writes only). The answer is 200 with `valid` and
 * the reasons whenever the file could be read, signed or not: a failed check is an answer, not an
 * error.
 */
export function signaturesRouter(db: Database): Router {
  const router = Router();
  router.post('/signatures/verify', async (request, response) => {
    const { contentBase64 } = validate(verifyBody, request.body, 'body');
    const pdf = Buffer.from(contentBase64, 'base64');
    if (!pdf.subarray(0, 1024).includes('%PDF-')) {
      throw new QuyTrinhError('unprocessable', 'signature.not-a-pdf', { vi: 'Tệp không phải PDF', en: 'The file is not a PDF' }, [{ field: 'body.contentBase64', message: 'not a PDF' }]);
    }
    response.setHeader('Cache-Control', 'no-store');
    response.json(await verifyStoredTrust(db, pdf));
  });
  return router;
}
