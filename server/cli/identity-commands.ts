import { InvalidArgumentError, type Command } from 'commander';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { sealAuditChain } from '../audit/sealer.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/connect.ts';
import { accountJson, createAccount, disableAccount, displayNameSchema, passwordSchema, usernameSchema, type AccountRow } from '../identity/accounts.ts';
import { createAgency, listAgencies, mapLane, newAgencySchema } from '../identity/agencies.ts';
import { FUNCTIONS, functionSchema, roleSchema, type AgencyFunction, type Role } from '../identity/roles.ts';
import { newPassword } from '../identity/secrets.ts';
import { createToken, listTokens, newTokenSchema, revokeToken } from '../identity/tokens.ts';
import { createLogger } from '../logger.ts';
import { openProductDatabase } from '../product.ts';

/**
 * `quytrinh user|agency|token|audit …`: identity and the audit trail without the browser. Each
 * works while the product runs (the running embedded cluster of the same DATA_DIR, or
 * DATABASE_URL) and without it.
 */
export async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Commands print their own result; the log only says what went wrong.
  const database = await openProductDatabase(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), { shareRunning: true });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** A command-line value checked with the same zod schema as the API, with the CLI's error. */
export function parsed<T>(schema: z.ZodType<T>, field: string) {
  return (value: string): T => {
    const result = schema.safeParse(value);
    if (!result.success) throw new InvalidArgumentError(`${field}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
    return result.data;
  };
}

/** Several command-line values checked together with the API's schema: a typed error listing each bad option. */
function checked<T>(schema: z.ZodType<T>, value: unknown, code: string, text: { vi: string; en: string }): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new QuyTrinhError('invalid-input', code, text, result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message, messages: { vi: issue.message, en: issue.message } })));
}

function collect<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

function membership(value: string): { agencyCode: string; function: AgencyFunction } {
  const [agencyCode = '', fn = ''] = value.split(':');
  return { agencyCode, function: parsed(functionSchema, '--agency <code>:<function>')(fn) };
}

export function registerIdentityCommands(program: Command): void {
  const user = program.command('user').description('Tài khoản người dùng / user accounts');
  user
    .command('add')
    .description('Tạo tài khoản / create an account')
    .argument('<username>', 'tên đăng nhập / username', parsed(usernameSchema, 'username'))
    .requiredOption('--role <role>', 'admin | staff | analyst | official | citizen (lặp lại được / repeatable)', collect(parsed(roleSchema.exclude(['worker']), '--role')))
    .option('--name <name>', 'tên hiển thị / display name', parsed(displayNameSchema, '--name'))
    .option('--agency <code:function>', 'cơ quan và chức năng, ví dụ 000.00.01.H01:tiep-nhan / agency and function (repeatable)', collect(membership))
    .option('--password <password>', 'mật khẩu; bỏ trống để tạo ngẫu nhiên / password; random when omitted', parsed(passwordSchema, '--password'))
    .option('--level <level>', 'mức định danh 1 hoặc 2 (Nghị định 45 Điều 8) / assurance level', parsed(z.coerce.number().pipe(z.union([z.literal(1), z.literal(2)])), '--level'))
    .action(async (username: string, options: { role: Role[]; name?: string; agency?: Array<{ agencyCode: string; function: AgencyFunction }>; password?: string; level?: 1 | 2 }) => {
      const password = options.password ?? newPassword();
      const row = await withDatabase((db) =>
        createAccount(db, { username, displayName: options.name ?? username, roles: options.role, password, memberships: options.agency, assuranceLevel: options.level ?? 2, identifiedBy: 'created-by:cli' }),
      );
      process.stdout.write(`Đã tạo / created: ${row.username} (${row.roles.join(', ')})\n`);
      if (!options.password) process.stdout.write(`Mật khẩu / password: ${password}\n`);
    });
  user
    .command('list')
    .description('Liệt kê tài khoản / list accounts')
    .option('--json', 'in JSON / print JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withDatabase((db) => db<AccountRow>('accounts').orderBy('username'));
      if (options.json) return void process.stdout.write(`${JSON.stringify(rows.map((row) => accountJson(row)), null, 2)}\n`);
      for (const row of rows) {
        process.stdout.write(`${row.username.padEnd(24)} ${row.roles.join(',').padEnd(16)} mức/level ${row.assurance_level}  ${row.disabled_at ? 'ĐÃ KHOÁ/disabled' : ''}${row.demo ? ' DEMO' : ''}  ${row.display_name}\n`);
      }
    });
  user
    .command('disable')
    .description('Khoá tài khoản và kết thúc mọi phiên / disable an account and end its sessions')
    .argument('<username>', 'tên đăng nhập / username', parsed(usernameSchema, 'username'))
    .action(async (username: string) => {
      await withDatabase((db) => disableAccount(db, username));
      process.stdout.write(`Đã khoá / disabled: ${username}\n`);
    });

  const agency = program.command('agency').description('Cơ quan / agencies');
  agency
    .command('add')
    .description('Thêm cơ quan / add an agency')
    .argument('<code>', 'mã cơ quan, ví dụ 000.00.01.H01 / agency code')
    .requiredOption('--name <name>', 'tên cơ quan / name')
    .option('--parent <code>', 'mã cơ quan cấp trên / parent agency code')
    .action(async (code: string, options: { name: string; parent?: string }) => {
      const agencyInput = checked(newAgencySchema, { code, name: options.name, parentCode: options.parent }, 'agency.invalid', { vi: 'Thông tin cơ quan không hợp lệ', en: 'Invalid agency' });
      await withDatabase((db) => createAgency(db, agencyInput));
      process.stdout.write(`Đã thêm / added: ${code}\n`);
    });
  agency
    .command('list')
    .description('Liệt kê cơ quan / list agencies')
    .option('--json', 'in JSON / print JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withDatabase((db) => listAgencies(db));
      if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      for (const row of rows) process.stdout.write(`${row.code.padEnd(16)} ${row.name}${row.demo ? ' DEMO' : ''}${row.lanes.length ? `  (${row.lanes.length} lane)` : ''}\n`);
    });
  agency
    .command('lane')
    .description('Gán một làn BPMN cho cơ quan (và chức năng) / map a BPMN lane to an agency (and function)')
    .argument('<code>', 'mã cơ quan / agency code')
    .argument('<lane>', 'tên làn (nhóm ứng viên) / lane name (candidate group)')
    .option('--function <function>', FUNCTIONS.join(' | '), parsed(functionSchema, '--function'))
    .action(async (code: string, lane: string, options: { function?: AgencyFunction }) => {
      await withDatabase((db) => mapLane(db, lane, code, options.function ?? null));
      process.stdout.write(`Đã gán / mapped: "${lane}" → ${code}${options.function ? `:${options.function}` : ''}\n`);
    });

  const token = program.command('token').description('Khoá truy cập API cho máy / API tokens for machines and scripts');
  token
    .command('create')
    .description('Tạo khoá; dòng cuối của stdout là khoá / create a token; the last line of stdout is the token alone')
    .requiredOption('--name <name>', 'tên khoá / token name')
    .requiredOption('--role <role>', 'admin | staff | analyst | official | citizen | worker', parsed(roleSchema, '--role'))
    .option('--agency <code>', 'mã cơ quan (bắt buộc với official) / agency code (required for official)')
    .option('--job-type <type>', 'loại công việc được phép (lặp lại được) / allowed job type (repeatable)', collect(String))
    .action(async (options: { name: string; role: Role; agency?: string; jobType?: string[] }) => {
      const input = checked(newTokenSchema, { name: options.name, role: options.role, agency: options.agency, jobTypes: options.jobType }, 'token.invalid', { vi: 'Thông tin khoá không hợp lệ', en: 'Invalid token options' });
      const created = await withDatabase((db) => createToken(db, input, 'cli'));
      process.stderr.write(`Đã tạo khoá / token created: ${options.name} (${created.id}); giữ bí mật, không hiện lại / keep it secret, it is not shown again\n`);
      process.stdout.write(`${created.token}\n`);
    });
  token
    .command('revoke')
    .description('Thu hồi khoá / revoke a token')
    .argument('<id-or-name>', 'mã hoặc tên khoá / token id or name')
    .action(async (idOrName: string) => {
      const revoked = await withDatabase((db) => revokeToken(db, idOrName));
      if (revoked === 0) throw new QuyTrinhError('not-found', 'token.not-found', { vi: `Không có khoá ${idOrName} đang hiệu lực`, en: `No active token ${idOrName}` });
      process.stdout.write(`Đã thu hồi / revoked: ${idOrName} (${revoked})\n`);
    });
  token
    .command('list')
    .description('Liệt kê khoá (không hiện bí mật) / list tokens (never their secrets)')
    .action(async () => {
      for (const row of await withDatabase((db) => listTokens(db))) {
        process.stdout.write(`${row.id}  ${row.name.padEnd(24)} ${row.role.padEnd(8)} ${row.agency ?? ''} ${row.revokedAt ? 'ĐÃ THU HỒI/revoked' : ''}\n`);
      }
    });

  const audit = program.command('audit').description('Nhật ký kiểm toán / audit trail');
  audit
    .command('verify')
    .description('Kiểm tra chuỗi băm của nhật ký; chỉ ra bản ghi đầu tiên bị sửa, xoá hoặc đảo thứ tự / verify the hash chain')
    .option('--json', 'in JSON / print JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withDatabase(async (db) => {
        await sealAuditChain(db);
        return verifyAuditChain(db);
      });
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) {
        process.stdout.write(`✔ Chuỗi nhật ký nguyên vẹn / the audit chain is intact: ${report.records} bản ghi / records in ${report.seals} dấu niêm / seals; đầu chuỗi / head ${report.head}\n`);
      } else {
        const at = report.firstBreak!;
        const what = { altered: 'bị sửa / altered', removed: 'bị xoá / removed', inserted: 'bị chèn / inserted', seal: 'dấu niêm bị sửa / seal altered' }[at.kind];
        process.stdout.write(`✖ Chuỗi nhật ký bị phá / the audit chain is broken: ${what} — ${at.table ?? 'audit_seals'} ${at.recordId ?? at.sealId} (niêm / seal ${at.sealId}${at.position === undefined ? '' : `, vị trí / position ${at.position}`})\n`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
