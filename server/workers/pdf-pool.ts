/**
 * The PDF pool: worker threads (piscina) that print dossier notices and results (pdfkit, about
 * 50 ms of a core each) and sign them (node-forge: opening the PKCS#12 and the RSA signature, about
 * 80 ms), off the event loop. On the request thread a burst of downloads held every other request
 * for as long; here they take threads, and the process keeps answering (docs/printing.md).
 *
 * The limits follow the analysis pool (analysis-pool.ts), each a typed error in both languages:
 * - at most `maxThreads` documents are made at once (one per core) and `maxQueue` more wait; beyond
 *   that the request is refused at once (`pdf.busy`, 503 with Retry-After) rather than queued
 *   without bound;
 * - a document not made `timeoutMs` after it was asked for is given up (`pdf.timeout`, 503), its
 *   thread terminated.
 *
 * Kept apart from the analysis and compile pools: a queue of long simulations must not hold up the
 * printing of a receipt, nor a burst of downloads a deployment.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { DossierDocument } from '../printing/dossier-document.ts';
import type { Revocation } from '../signatures/revocation.ts';
import type { DetachedVerification, SignatureVerification } from '../signatures/verify-pdf.ts';
import type { SealedCredential } from '../signatures/credentials.ts';
import type { PdfTask, PdfTaskOutcome, PrintedSignature, SignatureRequest, WidgetRect } from './pdf-tasks.ts';

export interface PdfLimits {
  /** Documents made at once, one per thread. */
  maxThreads: number;
  /** Documents waiting for a thread; one more is refused with `pdf.busy`. */
  maxQueue: number;
  /** From the request to the document, waiting included. */
  timeoutMs: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxThreads: availableParallelism(),
  maxQueue: 64,
  timeoutMs: 30_000,
};

/** Threads kept after a burst, so that the next one does not pay their start (tsx, pdfkit and the fonts). */
const IDLE_THREAD_MS = 60_000;

export interface PdfPool {
  readonly limits: PdfLimits;
  /** A dossier notice or result printed, unsigned. */
  print(document: DossierDocument): Promise<Buffer>;
  /** A result printed with its visible signature on page one and signed (widget over the drawn stamp); with an approver, signed by them first and then by the agency. */
  printSigned(document: DossierDocument, signature: PrintedSignature): Promise<Buffer>;
  /** Any PDF signed (incremental update), with a visible widget when `widgetRect` is given. */
  sign(pdf: Buffer, signature: SignatureRequest, widgetRect?: WidgetRect): Promise<Buffer>;
  /**
   * A PDF's signature verified (verify-pdf.ts) against `rootPems` and `revoked`: the dossier
   * components' check on submission (Decree 45 Art. 11.2.b), about 16 ms of a core for a small PDF (docs/signatures.md).
   */
  verify(pdf: Buffer, rootPems: string[], revoked: Revocation[]): Promise<SignatureVerification>;
  /** A detached CMS signature (DER) of `content` with the credential, at `signedAt` (a signed confirmation, Circular 01 Art. 9.3). */
  signData(content: Buffer, credential: SealedCredential, signedAt: Date): Promise<Buffer>;
  /** A detached CMS signature of `content` verified against `rootPems` and `revoked`. */
  verifyData(content: Buffer, cms: Buffer, rootPems: string[], revoked: Revocation[]): Promise<DetachedVerification>;
  /** Terminates the threads; documents still being made or waiting are rejected. */
  destroy(): Promise<void>;
}

/** The pool; its threads start with the first document, so a process that prints nothing starts none. */
export function createPdfPool(limits: Partial<PdfLimits> = {}): PdfPool {
  const settled = { ...DEFAULT_PDF_LIMITS, ...limits };
  let piscina: Piscina | undefined;
  const pool = () =>
    (piscina ??= new Piscina({
      filename: new URL('./pdf-worker.js', import.meta.url).href,
      minThreads: 1,
      maxThreads: settled.maxThreads,
      idleTimeout: IDLE_THREAD_MS,
    }));
  // Bounded here, not with piscina's maxQueue, which does not count tasks that carry an AbortSignal.
  let inFlight = 0;

  async function outcomeOf(task: PdfTask): Promise<PdfTaskOutcome> {
    if (inFlight >= settled.maxThreads + settled.maxQueue) throw busy(settled);
    const deadline = AbortSignal.timeout(settled.timeoutMs);
    inFlight++;
    try {
      return (await pool().run(task, { signal: deadline })) as PdfTaskOutcome;
    } catch (error) {
      if (deadline.aborted) throw timedOut(settled.timeoutMs, { cause: error });
      throw error;
    } finally {
      inFlight--;
    }
  }

  async function run(task: PdfTask): Promise<Buffer> {
    const outcome = await outcomeOf(task);
    if (!outcome.ok) throw new QuyTrinhError(outcome.error.kind, outcome.error.code, outcome.error.text, outcome.error.details);
    if (!('value' in outcome)) throw new Error('the PDF pool answered a verification to a print');
    // A structured clone arrives as a Uint8Array: the same memory, seen as a Buffer.
    return Buffer.from(outcome.value.buffer, outcome.value.byteOffset, outcome.value.byteLength);
  }

  return {
    limits: settled,
    print: (document) => run({ kind: 'print', document }),
    printSigned: (document, signature) => run({ kind: 'print-signed', document, signature }),
    sign: (pdf, signature, widgetRect) => run({ kind: 'sign', pdf, signature, ...(widgetRect ? { widgetRect } : {}) }),
    async verify(pdf, rootPems, revoked) {
      const outcome = await outcomeOf({ kind: 'verify', pdf, rootPems, revoked });
      if (!outcome.ok || !('verification' in outcome)) throw new Error('the PDF pool answered a print to a verification');
      return outcome.verification;
    },
    signData: (content, credential, signedAt) => run({ kind: 'sign-data', content, credential, signedAt }),
    async verifyData(content, cms, rootPems, revoked) {
      const outcome = await outcomeOf({ kind: 'verify-data', content, cms, rootPems, revoked });
      if (!outcome.ok || !('detached' in outcome)) throw new Error('the PDF pool answered another task to a verification');
      return outcome.detached;
    },
    async destroy() {
      await piscina?.destroy();
      piscina = undefined;
    },
  };
}

let shared: PdfPool | undefined;

/** The process's pool with the default limits (the API's downloads and the result.sign worker share it). */
export function sharedPdfPool(): PdfPool {
  return (shared ??= createPdfPool());
}

/** Stops the shared pool's threads (when the product stops). */
export async function closePdfPool(): Promise<void> {
  const closing = shared;
  shared = undefined;
  await closing?.destroy();
}

function busy({ maxThreads, maxQueue }: PdfLimits): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'pdf.busy', {
    vi: `Máy chủ đang bận in và ký văn bản (đang làm: ${maxThreads}, đang chờ: ${maxQueue}); vui lòng thử lại sau ít giây`,
    en: `The server is busy printing and signing documents (in progress: ${maxThreads}, waiting: ${maxQueue}); please retry in a few seconds`,
  });
}

function timedOut(timeoutMs: number, options: ErrorOptions): QuyTrinhError {
  return new QuyTrinhError('unavailable', 'pdf.timeout', {
    vi: `Không in, ký xong văn bản trong giới hạn ${(timeoutMs / 1000).toLocaleString('vi-VN')} giây; vui lòng thử lại`,
    en: `The document was not printed and signed within the ${(timeoutMs / 1000).toLocaleString('en-GB')}-second limit; please retry`,
  }, [], options);
}
