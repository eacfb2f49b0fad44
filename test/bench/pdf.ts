import os from 'node:os';
import { performance } from 'node:perf_hooks';
import forge from 'node-forge';
import type { DossierDocument } from '../../server/printing/dossier-document.ts';
import { certificateFromPem, toPkcs12 } from '../../server/signatures/certificates.ts';
import { RESULT_SIGNING_REASON, SIGNING_LOCATION } from '../../server/signatures/sign-pdf.ts';
import { verifyPdfSignature } from '../../server/signatures/verify-pdf.ts';
import { createPdfPool } from '../../server/workers/pdf-pool.ts';
import runPdfTask, { type PdfTask } from '../../server/workers/pdf-tasks.ts';

type SigningTask = Extract<PdfTask, { kind: 'print-signed' }>;

/**
 * Results printed and signed (server/workers/pdf-tasks.ts `print-signed`: pdfkit with the visible
 * signature, then the CMS signature with node-forge), in the PDF pool (one thread per core) against
 * the same work one after another on the calling thread; then verifications on one thread. No
 * database: an agency credential made here (RSA-2048, a CA and its leaf, sealed in a PKCS#12 as the
 * product stores it).
 */
export interface PdfBench {
  documents: number;
  threads: number;
  inFlight: number;
  singlePerSecond: number;
  singleMsEach: number;
  poolPerSecond: number;
  verifyPerSecond: number;
  bytes: number;
  load: number;
}

const AGENCY = { code: '000.00.51.H26', name: 'Ủy ban nhân dân xã Bình Minh' };

function credential(): { task: (n: number) => SigningTask; root: forge.pki.Certificate } {
  const make = (subject: string, issuer: string, publicKey: forge.pki.PublicKey, signer: forge.pki.PrivateKey, ca: boolean) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = publicKey;
    certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
    certificate.validity.notBefore = new Date(Date.now() - 3600_000);
    certificate.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
    certificate.setSubject([{ name: 'commonName', value: subject }, { name: 'countryName', value: 'VN' }]);
    certificate.setIssuer([{ name: 'commonName', value: issuer }, { name: 'countryName', value: 'VN' }]);
    certificate.setExtensions(ca ? [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }] : [{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
    certificate.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    return certificate;
  };
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const leafKeys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const root = make('Bench CA', 'Bench CA', caKeys.publicKey, caKeys.privateKey, true);
  const leaf = make('UBND xa Binh Minh', 'Bench CA', leafKeys.publicKey, caKeys.privateKey, false);
  const passphrase = 'b'.repeat(64);
  const sealed = { agencyCode: AGENCY.code, pkcs12: toPkcs12(leafKeys.privateKey, [leaf, root], passphrase, AGENCY.code), passphrase };
  const dossier = { code: `${AGENCY.code}-261206-0001`, procedure: { code: '1.001193', name: 'Đăng ký khai sinh' }, agency: AGENCY, applicant: { name: 'Nguyễn Thị An', idNumber: '001090012345' } };
  const task = (n: number): SigningTask => {
    const signedAt = new Date();
    const document: DossierDocument = { kind: 'result', dossier, lookupBaseUrl: 'https://dichvucong.example.gov.vn', result: { code: `${dossier.code}-KQ${n + 1}`, title: 'Giấy khai sinh', issuedAt: signedAt } };
    return { kind: 'print-signed', document, signature: { credential: sealed, reason: RESULT_SIGNING_REASON, location: SIGNING_LOCATION, signedAt, appearance: { agency: AGENCY, signedAt } } };
  };
  // The root as the product keeps it: stored as PEM and read back (credentials.ts trustedRoots).
  return { task, root: certificateFromPem(forge.pki.certificateToPem(root)) };
}

async function made(task: SigningTask): Promise<Buffer> {
  const outcome = await runPdfTask(task);
  if (!outcome.ok) throw new Error(outcome.error.text.en);
  if (!('value' in outcome)) throw new Error('a verification, not a document');
  return Buffer.from(outcome.value);
}

export async function runPdfBench(documents: number): Promise<PdfBench> {
  const { task, root } = credential();
  // Warm-up: pdfkit's fonts, forge, the credential opened once (as every thread keeps it).
  for (let n = 0; n < 5; n++) await made(task(n));

  let started = performance.now();
  let last: Buffer = Buffer.alloc(0);
  for (let n = 0; n < documents; n++) last = await made(task(n));
  const singleMs = performance.now() - started;

  const threads = os.availableParallelism();
  const inFlight = threads * 4;
  const pool = createPdfPool({ maxThreads: threads, maxQueue: inFlight });
  try {
    // Every thread started and warmed (tsx, pdfkit, the credential) before the clock.
    await Promise.all(Array.from({ length: threads * 3 }, (_, n) => pool.printSigned(task(n).document, task(n).signature)));
    started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < documents) {
        const signing = task(next++);
        await pool.printSigned(signing.document, signing.signature);
      }
    }));
    const poolMs = performance.now() - started;

    const verifications = Math.max(20, Math.round(documents / 2));
    started = performance.now();
    for (let n = 0; n < verifications; n++) {
      const report = verifyPdfSignature(last, [root]);
      if (!report.valid) throw new Error(`the bench's own signature does not verify: ${JSON.stringify(report.problems)}`);
    }
    const verifyMs = performance.now() - started;
    return {
      documents,
      threads,
      inFlight,
      singlePerSecond: documents / (singleMs / 1000),
      singleMsEach: singleMs / documents,
      poolPerSecond: documents / (poolMs / 1000),
      verifyPerSecond: verifications / (verifyMs / 1000),
      bytes: last.length,
      load: os.loadavg()[0]!,
    };
  } finally {
    await pool.destroy();
  }
}

export function pdfBenchSummary(bench: PdfBench): string[] {
  return [
    `results printed and signed: one thread ${bench.singlePerSecond.toFixed(1)}/s (${bench.singleMsEach.toFixed(0)} ms each), pool of ${bench.threads} threads ${bench.poolPerSecond.toFixed(1)}/s (×${(bench.poolPerSecond / bench.singlePerSecond).toFixed(2)})`,
    `signatures verified: ${bench.verifyPerSecond.toFixed(0)}/s on one thread`,
  ];
}

export function pdfBenchMarkdown(bench: PdfBench): string {
  return `## Signed results: PDFs printed and signed per second (issue 12)

\`npm run bench -- --pdf\` (test/bench/pdf.ts), no database: ${bench.documents} results printed with their
visible signature (pdfkit, DejaVu Sans embedded, the QR) and signed (CMS, SHA-256 with RSA-2048,
node-forge, chain of two) with the agency's seal, the work \`result.sign\` does once per result
(server/workers/pdf-tasks.ts \`print-signed\`); ${(bench.bytes / 1024).toFixed(0)} kB each. A result whose approval step names
its approver carries a second, incremental signature, the approver's, before the seal
(docs/signatures.md): that is one more CMS over the same bytes, not measured here. One thread: one after
another on the calling thread, as every download did before the pool. Pool: the PDF pool
(server/workers/pdf-pool.ts), one thread per core, ${bench.inFlight} in flight. Both warmed up first (the
credential's PKCS#12 opened once per thread, as the pool's threads keep it).

| where | PDFs/s | per PDF |
| --- | ---: | ---: |
| one thread | ${bench.singlePerSecond.toFixed(1)} | ${bench.singleMsEach.toFixed(0)} ms |
| pool, ${bench.threads} threads | ${bench.poolPerSecond.toFixed(1)} | ×${(bench.poolPerSecond / bench.singlePerSecond).toFixed(2)} of one thread |
| verifications, one thread | ${bench.verifyPerSecond.toFixed(0)} | ${(1000 / bench.verifyPerSecond).toFixed(1)} ms |

The pool's gain is bounded by the cores (${bench.threads} here) and what else runs on them (load average
${bench.load.toFixed(1)} at the end of the run); its point is that the event loop stays free: downloads of
stored results read bytes, and notices and first signatures take a thread, not the loop
(test/server/result-documents.test.ts shows /api/health answered in the middle of a burst).
`;
}
