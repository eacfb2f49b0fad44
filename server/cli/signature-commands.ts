import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { QuyTrinhError } from '../../engine/errors.ts';
import { vietnamMoment } from '../printing/vietnam-time.ts';
import { importAgencySigningCredential, importOfficialSigningCredential, importTrustedRoot } from '../signatures/credentials.ts';
import { pemOf, REVOCATION_REASON_TEXT, revocationReasonSchema, revocations, revokeAgencyCertificate, revokeCertificate, revokeOfficialCertificates, type RevocationReason } from '../signatures/revocation.ts';
import { verifyStoredTrust, type SignatureVerification } from '../signatures/verify-pdf.ts';
import { parsed, withDatabase } from './identity-commands.ts';

/**
 * `quytrinh ca …` and `quytrinh verify <file.pdf>` (issue 12; docs/signatures.md): the product's
 * certificates without the browser. Like the identity commands, they work while the product runs
 * and without it.
 */
const ACTOR = 'cli';

function readFile(file: string, field: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new QuyTrinhError('invalid-input', 'cli.file-unreadable', { vi: `Không đọc được tệp ${file}`, en: `Cannot read the file ${file}` }, [{ field, message: error instanceof Error ? error.message : String(error) }]);
  }
}

/** The verification as a person reads it, both languages, one fact per line: the file, then each signature in the order signed. */
export function verificationText(file: string, report: SignatureVerification): string {
  const lines = [`${report.valid ? '✔ Chữ ký số hợp lệ / valid signature' : '✘ Chữ ký số KHÔNG hợp lệ / INVALID signature'}: ${file}`];
  lines.push(`  Số chữ ký trong tệp / signatures in the file: ${report.signatureCount}`);
  report.signatures.forEach((check, index) => {
    const indent = report.signatures.length > 1 ? '    ' : '  ';
    if (report.signatures.length > 1) lines.push(`  Chữ ký / signature ${index + 1}/${report.signatures.length}: ${check.valid ? '✔ hợp lệ / valid' : '✘ không hợp lệ / not valid'}${check.coversWholeFile ? '' : ` (ký ${check.signedBytes} byte đầu, phần sau chỉ thêm chữ ký / signs the first ${check.signedBytes} bytes, later revisions only add signatures)`}`);
    if (check.signer) {
      lines.push(`${indent}Người ký / signer: ${check.signer.name ?? check.signer.subject}${check.signer.agencyCode ? ` (${check.signer.agencyCode})` : ''}`);
      lines.push(`${indent}Chứng thư / certificate: số sê-ri / serial ${check.signer.serialNumber}, cấp bởi / issued by ${check.signer.issuer}`);
    }
    if (check.signedAt) lines.push(`${indent}Thời điểm ký / signed at: ${vietnamMoment(new Date(check.signedAt))}`);
    if (check.reason) lines.push(`${indent}Lý do / reason: ${check.reason}`);
    if (check.trustedRoot) lines.push(`${indent}Chứng thư gốc tin cậy / trusted root: ${check.trustedRoot.subject}`);
  });
  for (const problem of report.problems) lines.push(`  - ${problem.text.vi} / ${problem.text.en}`);
  return `${lines.join('\n')}\n`;
}

export function registerSignatureCommands(program: Command): void {
  program
    .command('verify')
    .description('Kiểm tra chữ ký số của tệp PDF: người ký, thời điểm, chuỗi chứng thư, nội dung có bị sửa / verify a PDF signature')
    .argument('<file.pdf>', 'tệp PDF đã ký / the signed PDF')
    .option('--json', 'in JSON / print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const report = await withDatabase((db) => verifyStoredTrust(db, readFile(file, 'file')));
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : verificationText(file, report));
      if (!report.valid) process.exitCode = 1;
    });

  const ca = program.command('ca').description('Tổ chức chứng thực của sản phẩm, chứng thư số của cơ quan / the product CA and agency certificates');
  ca.command('list')
    .description('Liệt kê chứng thư gốc tin cậy, chứng thư của cơ quan, của cán bộ và chứng thư đã thu hồi / list trusted roots, agency and official certificates, revocations')
    .action(async () => {
      const text = await withDatabase(async (db) => {
        const roots = await db('signature_trusted_roots').orderBy('added_at').select<Array<{ subject: string; fingerprint: string; source: string }>>('subject', 'fingerprint', 'source');
        const agencies = await db('agency_signing_credentials').orderBy('agency_code').select<Array<{ agency_code: string; subject: string; serial_number: string; not_after: Date; source: string }>>('agency_code', 'subject', 'serial_number', 'not_after', 'source');
        const officials = await db('official_signing_credentials as c').join('accounts as a', 'a.id', 'c.account_id').orderBy(['a.username', 'c.agency_code'])
          .select<Array<{ username: string; agency_code: string; subject: string; serial_number: string; not_after: Date; source: string }>>('a.username', 'c.agency_code', 'c.subject', 'c.serial_number', 'c.not_after', 'c.source');
        const revoked = await revocations(db);
        return [
          'Chứng thư gốc tin cậy / trusted roots:',
          ...roots.map((root) => `  ${root.subject}  [${root.source}]  SHA-256 ${root.fingerprint}`),
          'Chứng thư ký số của cơ quan / agency signing certificates:',
          ...agencies.map((row) => `  ${row.agency_code.padEnd(16)} ${row.subject}  sê-ri / serial ${row.serial_number}  hết hạn / expires ${vietnamMoment(row.not_after)}  [${row.source}]`),
          'Chứng thư số cá nhân của cán bộ / officials\' personal certificates:',
          ...officials.map((row) => `  ${row.username.padEnd(16)} ${row.agency_code.padEnd(16)} ${row.subject}  sê-ri / serial ${row.serial_number}  hết hạn / expires ${vietnamMoment(row.not_after)}  [${row.source}]`),
          'Chứng thư đã thu hồi / revoked certificates:',
          ...revoked.map((revocation) => `  ${revocation.subject}  sê-ri / serial ${revocation.serialNumber}  ${vietnamMoment(revocation.revokedAt)}  ${REVOCATION_REASON_TEXT[revocation.reason].vi} / ${REVOCATION_REASON_TEXT[revocation.reason].en}`),
          '',
        ].join('\n');
      });
      process.stdout.write(text);
    });
  ca.command('revoke')
    .description('Thu hồi chứng thư số của một cơ quan (--agency), của một cán bộ (--official) hoặc một chứng thư bất kỳ (--certificate) / revoke a certificate')
    .option('--agency <code>', 'mã cơ quan: thu hồi chứng thư hiện tại, lần ký sau được cấp chứng thư mới; cùng --official: chỉ chứng thư của cán bộ tại cơ quan này / the agency whose current certificate to revoke; with --official, that official\'s for this agency only')
    .option('--official <username>', 'tên đăng nhập của cán bộ: thu hồi chứng thư số cá nhân hiện tại / the official whose personal certificates to revoke')
    .option('--certificate <file>', 'tệp chứng thư (PEM hoặc DER) / the certificate file (PEM or DER)')
    .requiredOption('--reason <reason>', 'key-compromise | ca-compromise | affiliation-changed | superseded | cessation-of-operation | unspecified', parsed(revocationReasonSchema, '--reason'))
    .action(async (options: { agency?: string; official?: string; certificate?: string; reason: RevocationReason }) => {
      const targets = [options.official ?? options.agency, options.certificate].filter((target) => target !== undefined);
      if (targets.length !== 1) {
        throw new QuyTrinhError('invalid-input', 'cli.revoke-target', { vi: 'Cần đúng một trong --agency, --official hoặc --certificate (--agency đi cùng --official được)', en: 'Give exactly one of --agency, --official or --certificate (--agency may go with --official)' });
      }
      const revoked = await withDatabase(async (db) => {
        if (options.official) return revokeOfficialCertificates(db, options.official, options.agency, options.reason, ACTOR);
        if (options.agency) return [await revokeAgencyCertificate(db, options.agency, options.reason, ACTOR)];
        return [await revokeCertificate(db, pemOf(readFile(options.certificate!, '--certificate')), options.reason, ACTOR)];
      });
      for (const revocation of revoked) process.stdout.write(`Đã thu hồi / revoked: ${revocation.subject} (sê-ri / serial ${revocation.serialNumber}) lúc / at ${vietnamMoment(revocation.revokedAt)}\n`);
    });
  ca.command('import-root')
    .description('Tin cậy chứng thư gốc của một tổ chức chứng thực được cấp phép / trust a licensed CA root')
    .argument('<file>', 'tệp chứng thư gốc (PEM hoặc DER) / the root certificate (PEM or DER)')
    .action(async (file: string) => {
      const root = await withDatabase((db) => importTrustedRoot(db, pemOf(readFile(file, 'file')), ACTOR));
      process.stdout.write(`Đã tin cậy / trusted: ${root.subject}  SHA-256 ${root.fingerprint}\n`);
    });
  ca.command('import-agency')
    .description('Nhập chứng thư số của cơ quan từ tổ chức chứng thực được cấp phép (.p12) / import an agency certificate (.p12)')
    .argument('<agency-code>', 'mã cơ quan / agency code')
    .argument('<file.p12>', 'tệp PKCS#12 chứa khoá và chuỗi chứng thư / the PKCS#12 file')
    .requiredOption('--password <password>', 'mật khẩu của tệp .p12 (hoặc biến P12_PASSWORD) / the file\'s password (or P12_PASSWORD)', process.env.P12_PASSWORD)
    .action(async (agencyCode: string, file: string, options: { password: string }) => {
      const imported = await withDatabase((db) => importAgencySigningCredential(db, agencyCode, readFile(file, 'file'), options.password, ACTOR));
      process.stdout.write(`Đã nhập / imported: ${imported.subject} (sê-ri / serial ${imported.serialNumber}), hết hạn / expires ${vietnamMoment(imported.notAfter)}\n`);
    });
  ca.command('import-official')
    .description('Nhập chứng thư số cá nhân của cán bộ từ tổ chức chứng thực được cấp phép (.p12) / import an official\'s personal certificate (.p12)')
    .argument('<username>', 'tên đăng nhập của cán bộ / the official\'s username')
    .argument('<file.p12>', 'tệp PKCS#12 chứa khoá và chuỗi chứng thư / the PKCS#12 file')
    .option('--agency <code>', 'cơ quan cán bộ ký thay mặt, khi cán bộ thuộc nhiều cơ quan / the agency they sign for, when they belong to several')
    .requiredOption('--password <password>', 'mật khẩu của tệp .p12 (hoặc biến P12_PASSWORD) / the file\'s password (or P12_PASSWORD)', process.env.P12_PASSWORD)
    .action(async (username: string, file: string, options: { agency?: string; password: string }) => {
      const imported = await withDatabase((db) => importOfficialSigningCredential(db, username, options.agency, readFile(file, 'file'), options.password, ACTOR));
      process.stdout.write(`Đã nhập / imported: ${imported.subject} (cơ quan / agency ${imported.agencyCode}, sê-ri / serial ${imported.serialNumber}), hết hạn / expires ${vietnamMoment(imported.notAfter)}\n`);
    });
}
