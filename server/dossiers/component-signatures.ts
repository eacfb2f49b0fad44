/**
 * The signatures of a dossier's components, inspected on receipt (Decree 45 Art. 11.2.b: "kiểm
 * tra chữ ký số để bảo đảm tính xác thực, hiệu lực, chính xác và toàn vẹn của từng thành phần hồ
 * sơ"; docs/dossiers.md "Signed components"). Every PDF component that carries a PDF signature is
 * verified in the PDF pool against the trusted roots and the revocation list:
 *
 * - a forged or altered signature (`signature.altered`, `signature.invalid`, `signature.malformed`)
 *   is no signature of anyone: the submission or amendment is refused (422, `body.components[i]`)
 *   and nothing is stored;
 * - a signature that is intact but whose signer the product does not trust (untrusted root,
 *   revoked or expired certificate, content appended after signing) is accepted, stored with its
 *   problems and flagged to the one-stop desk in the dossier's history: the official decides
 *   (Art. 11.2, the receipt decision);
 * - an image or an unsigned PDF needs no check (null).
 */
import type { Bilingual } from '../../engine/errors.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { trustedRootPems } from '../signatures/credentials.ts';
import { revocations } from '../signatures/revocation.ts';
import type { SignatureProblemCode, SignatureVerification } from '../signatures/verify-pdf.ts';
import { sharedPdfPool, type PdfPool } from '../workers/pdf-pool.ts';
import type { CheckedComponent } from './components.ts';

/** What is stored of a component's verification (`dossier_components.signature`) and the dossier view shows. */
export type ComponentSignature = Pick<SignatureVerification, 'valid' | 'signer' | 'signedAt' | 'trustedRoot' | 'problems'> & { verifiedAt: string };

/** Problems that mean the signed bytes are not what was signed, or no signature at all: refused. */
const FORGED: readonly SignatureProblemCode[] = ['signature.altered', 'signature.invalid', 'signature.malformed'];

/** A PDF signature dictionary's mark (ISO 32000-1 §12.8.1): a PDF without it is unsigned, and not sent to the pool. */
const isSignedPdf = (component: CheckedComponent) => component.mediaType === 'application/pdf' && component.content.includes('/ByteRange');

/**
 * Verifies the signed PDFs of `components` (checked by checkComponents, so `components[i]` is the
 * upload `body.components[i]`); answers each one's signature or null, or refuses the whole upload
 * naming every forged one.
 */
export async function verifyComponentSignatures(db: Database, components: readonly CheckedComponent[], pool: PdfPool = sharedPdfPool()): Promise<Array<ComponentSignature | null>> {
  if (!components.some(isSignedPdf)) return components.map(() => null);
  const [rootPems, revoked] = await Promise.all([trustedRootPems(db), revocations(db)]);
  const verifiedAt = new Date().toISOString();
  const signatures = await Promise.all(
    components.map(async (component): Promise<ComponentSignature | null> => {
      if (!isSignedPdf(component)) return null;
      const { valid, signer, signedAt, trustedRoot, problems } = await pool.verify(component.content, rootPems, revoked);
      return { valid, signer, signedAt, trustedRoot, problems, verifiedAt };
    }),
  );
  const faults = signatures.flatMap((signature, index) => {
    const forged = signature?.problems.filter((problem) => FORGED.includes(problem.code)) ?? [];
    return forged.length > 0 ? [{ field: `body.components[${index}]`, message: `${components[index]!.name}: ${forged.map((problem) => `${problem.code} (${problem.text.en})`).join('; ')}`, vi: `${components[index]!.name}: ${forged.map((problem) => problem.text.vi).join('; ')}` }] : [];
  });
  if (faults.length > 0) {
    throw new QuyTrinhError('unprocessable', 'dossier.component-signature-invalid', {
      vi: `Chữ ký số của thành phần hồ sơ không xác thực hoặc nội dung đã bị thay đổi sau khi ký (Nghị định 45/2020 Điều 11.2.b): ${faults.map((fault) => `${fault.field}: ${fault.vi}`).join('; ')}`,
      en: `A dossier component's digital signature is not authentic or its content was altered after signing (Decree 45/2020 Art. 11.2.b): ${faults.map((fault) => `${fault.field}: ${fault.message}`).join('; ')}`,
    }, faults.map(({ field, message, vi }) => ({ field, message, messages: { vi, en: message } })));
  }
  return signatures;
}

/**
 * The history entry that flags to the one-stop desk the components whose signature holds but is
 * not trusted (Art. 11.2: the official decides), or undefined when there is none.
 */
export function signatureFlag(components: readonly CheckedComponent[], signatures: ReadonlyArray<ComponentSignature | null>): { components: string[]; text: Bilingual } | undefined {
  const flagged = components.flatMap((component, index) => {
    const signature = signatures[index];
    return signature && !signature.valid ? [{ name: component.name, signature }] : [];
  });
  if (flagged.length === 0) return undefined;
  const listed = (language: keyof Bilingual) => flagged.map(({ name, signature }) => `${name} (${signature.signer?.name ?? '?'}: ${signature.problems.map((problem) => problem.text[language]).join('; ')})`).join('; ');
  return {
    components: flagged.map(({ name }) => name),
    text: {
      vi: `Chữ ký số của thành phần hồ sơ cần cán bộ một cửa xem xét (Nghị định 45/2020 Điều 11.2.b): ${listed('vi')}`,
      en: `The digital signature of a dossier component needs the one-stop desk's review (Decree 45/2020 Art. 11.2.b): ${listed('en')}`,
    },
  };
}
