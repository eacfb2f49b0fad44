import { Command, InvalidArgumentError } from 'commander';
import { isQuyTrinhError, type QuyTrinhError } from '../../engine/errors.ts';
import { loadConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { productVersion } from '../paths.ts';
import { startPaymentSandbox } from '../payments/sandbox/service.ts';
import { openProductDatabase, startProduct, startWorker } from '../product.ts';
import { classifyCommand, lintCommand, sensitivityCommand, simulateCommand } from './analysis-commands.ts';
import { calibrateCommand, type CalibrateOptions } from './calibrate-command.ts';
import { costCommand, type CostOptions } from './cost-command.ts';
import { registerIdentityCommands } from './identity-commands.ts';
import { registerSignatureCommands } from './signature-commands.ts';
import { reconcileCommand, reconciliationSummary, type ReconcileCommandOptions } from './payments-command.ts';
import { runModel, type RunOptions } from './run-command.ts';

/** Prints a typed error as two plain lines (Vietnamese, then English) and exits 1: no stack trace for a person to decode. */
function fail(error: unknown): never {
  if (isQuyTrinhError(error)) {
    process.stderr.write(`✖ ${error.text.vi}\n  ${error.text.en}\n`);
    // Each offending element or field, where the message was written for a person.
    for (const detail of error.details.filter((d) => d.messages)) {
      process.stderr.write(`  - ${detail.elementId ?? detail.field}: ${detail.messages!.vi}\n    ${detail.messages!.en}\n`);
    }
  } else {
    process.stderr.write(`✖ Lỗi không mong đợi / Unexpected error:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

function portNumber(value: string): string {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('cổng phải là số 0–65535 / port must be 0–65535');
  return value;
}

/** Ctrl-C (or SIGTERM) stops cleanly; a second one forces the exit. */
function stopOnSignals(running: { stop(): Promise<void> }, logger: Logger): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write('Buộc dừng / forced stop\n');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.stop().then(
      () => {
        process.stdout.write('Đã dừng / stopped\n');
        process.exit(0);
      },
      (error: unknown) => fail(error),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/**
 * A database lost for longer than DATABASE_RECOVERY_TIMEOUT: the two lines say so, and the
 * process exits 1 for its supervisor to start it afresh. Stopping cleanly first gets a few
 * seconds at most, since every step of it may wait on the database that is gone.
 */
function exitWhenDatabaseLost(running: { lost: Promise<QuyTrinhError>; stop(): Promise<void> }, logger: Logger): void {
  void running.lost.then(async (error) => {
    logger.fatal({ code: error.code }, `${error.text.vi} / ${error.text.en}`);
    await Promise.race([running.stop().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    fail(error);
  });
}

const program = new Command('quytrinh')
  .description('Quy Trình — kiểm soát thủ tục hành chính / administrative-procedure control')
  .version(productVersion)
  .showHelpAfterError();

program
  .command('start')
  .description('Khởi động sản phẩm (API + trình thiết kế) / start the product (API + designer)')
  .option('-p, --port <port>', 'cổng HTTP / HTTP port (PORT, default 3000)', portNumber)
  .option('--no-build', 'không build lại trình thiết kế / do not rebuild the designer')
  .option('--dev', 'trình thiết kế qua Vite, tự nạp lại khi sửa mã / designer through Vite with hot reload')
  .option('--demo', 'tạo dữ liệu demo (cơ quan, tài khoản, thủ tục) / create demo agencies, accounts and procedures')
  .action(async (options: { port?: string; build: boolean; dev?: boolean; demo?: boolean }) => {
    const config = loadConfig(options.port === undefined ? process.env : { ...process.env, PORT: options.port });
    const logger = createLogger(config.logLevel);
    const product = await startProduct(config, logger, { designer: options.dev ? 'dev' : options.build ? 'build' : 'none', demo: options.demo === true });
    for (const line of product.signIn) process.stdout.write(`${line}\n`);
    process.stdout.write(`Quy Trình đang chạy tại / is running at ${product.url}  (Ctrl-C để dừng / to stop)\n`);

    stopOnSignals(product, logger);
    exitWhenDatabaseLost(product, logger);
  });

program
  .command('worker')
  .description('Chạy bộ xử lý công việc nền (hẹn giờ, tác vụ tự động), không có HTTP / run the job worker without HTTP')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const worker = await startWorker(config, logger);
    process.stdout.write('Bộ xử lý công việc đang chạy / worker is running  (Ctrl-C để dừng / to stop)\n');
    stopOnSignals(worker, logger);
    exitWhenDatabaseLost(worker, logger);
  });

program
  .command('migrate')
  .description('Cập nhật lược đồ cơ sở dữ liệu rồi thoát / migrate the database, then exit')
  .action(async () => {
    const config = loadConfig();
    const database = await openProductDatabase(config, createLogger(config.logLevel));
    await database.close();
    process.stdout.write('Lược đồ đã cập nhật / schema is up to date\n');
  });

program
  .command('run')
  .description('Chạy thử một mô hình trong bộ nhớ qua một danh sách sự kiện / run a model in memory through a list of events')
  .argument('<model>', 'tệp BPMN / BPMN file')
  .option('-e, --events <file>', 'tệp JSON: [{type, elementId, variables?, at?}] / JSON event list')
  .option('--variables <json>', 'biến khởi tạo (JSON) / initial variables (JSON)')
  .option('--at <datetime>', 'thời điểm bắt đầu (ISO 8601) / start time (ISO 8601)')
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (model: string, options: RunOptions) => {
    process.stdout.write(`${await runModel(model, options)}\n`);
  });

program
  .command('cost')
  .description('Tính chi phí tuân thủ và chi phí tiết kiệm giữa hai mô hình (Điều 18 TT 01/2023) / compliance cost and savings between two models')
  .argument('<as-is>', 'mô hình hiện trạng / as-is model (.bpmn)')
  .argument('<to-be>', 'mô hình sau tái cấu trúc / to-be model (.bpmn)')
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .option('--xlsx <file>', 'ghi báo cáo ra bảng tính .xlsx / also write the report as an .xlsx workbook')
  .option('--pdf <file>', 'ghi báo cáo ra PDF / also write the report as a PDF')
  .action(async (asIs: string, toBe: string, options: CostOptions) => {
    process.stdout.write(`${await costCommand(asIs, toBe, options, (line) => process.stderr.write(`${line}\n`))}\n`);
  });

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new InvalidArgumentError('phải là số nguyên / must be a whole number');
  return number;
}

function share(value: string): number {
  const number = Number(value);
  if (!(number > 0 && number < 1)) throw new InvalidArgumentError('phải là số trong khoảng (0, 1), ví dụ 0.2 / must be between 0 and 1, e.g. 0.2');
  return number;
}

program
  .command('simulate')
  .description('Mô phỏng Monte Carlo N hồ sơ qua mô hình (có hạt giống, lặp lại được) / Monte Carlo simulation of N dossiers (seeded)')
  .argument('<model>', 'tệp BPMN / BPMN file')
  .option('-n, --dossiers <n>', 'số hồ sơ / number of dossiers', wholeNumber, 10_000)
  .option('-s, --seed <seed>', 'hạt giống / seed', wholeNumber, 1)
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (model: string, options: { dossiers: number; seed: number; json?: boolean }) => {
    // Progress on a terminal only, overwritten in place; a pipe gets just the result.
    const progress = (line: string) => process.stderr.isTTY && process.stderr.write(`\r${line}\x1b[K`);
    const report = await simulateCommand(model, options, progress);
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    process.stdout.write(`${report}\n`);
  });

program
  .command('classify')
  .description('Mức độ dịch vụ công trực tuyến theo Điều 13 TT 01/2023 / online-service level (Circular 01 Art. 13)')
  .argument('<to-be>', 'mô hình sau tái cấu trúc / to-be model (.bpmn)')
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (model: string, options: { json?: boolean }) => {
    process.stdout.write(`${await classifyCommand(model, options)}\n`);
  });

program
  .command('sensitivity')
  .description('Độ nhạy của chi phí tiết kiệm theo từng số liệu (biểu đồ lốc xoáy) / which figures move the savings most')
  .argument('<as-is>', 'mô hình hiện trạng / as-is model (.bpmn)')
  .argument('<to-be>', 'mô hình sau tái cấu trúc / to-be model (.bpmn)')
  .option('--variation <share>', 'mức thay đổi mỗi số liệu / how far each figure moves', share, 0.2)
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (asIs: string, toBe: string, options: { json?: boolean; variation: number }) => {
    process.stdout.write(`${await sensitivityCommand(asIs, toBe, options)}\n`);
  });

program
  .command('lint')
  .description('Kiểm tra mô hình theo quy tắc bpmnlint và quy tắc thủ tục hành chính / lint a model (bpmnlint + procedure rules)')
  .argument('<model...>', 'tệp BPMN / BPMN files')
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (models: string[], options: { json?: boolean }) => {
    let clean = true;
    for (const model of models) {
      const result = await lintCommand(model, options);
      process.stdout.write(`${result.output}\n`);
      clean &&= result.clean;
    }
    process.exitCode = clean ? 0 : 1;
  });

program
  .command('payment-sandbox')
  .description('Chạy cổng thanh toán thử nghiệm trên 127.0.0.1 / run the sandbox payment provider on loopback (docs/payments.md)')
  .option('-p, --port <port>', 'cổng HTTP / HTTP port', portNumber, '3100')
  .option('--secret <secret>', 'khoá bí mật dùng chung để ký HMAC / the shared HMAC secret (PAYMENT_SANDBOX_SECRET)')
  .option('--callback-url <url>', 'nơi nhận thông báo / where callbacks go', 'http://127.0.0.1:3000/api/payments/callbacks/sandbox')
  .action(async (options: { port: string; secret?: string; callbackUrl: string }) => {
    const secret = options.secret ?? process.env.PAYMENT_SANDBOX_SECRET;
    if (!secret) throw new InvalidArgumentError('cần --secret hoặc PAYMENT_SANDBOX_SECRET / --secret or PAYMENT_SANDBOX_SECRET is required');
    if (!URL.canParse(options.callbackUrl)) throw new InvalidArgumentError('--callback-url phải là URL / must be a URL');
    const sandbox = await startPaymentSandbox({ port: Number(options.port), secret, callbackUrl: options.callbackUrl, settle: true });
    process.stdout.write(`Cổng thanh toán thử nghiệm / sandbox payment provider: ${sandbox.url}  (Ctrl-C để dừng / to stop)\n`);
    stopOnSignals({ stop: () => sandbox.close() }, createLogger('info'));
  });

registerIdentityCommands(program);
registerSignatureCommands(program);

program
  .command('payments')
  .description('Thanh toán trực tuyến / online payments (docs/payments.md)')
  .command('reconcile')
  .description('Rà soát T-1 và đối soát một ngày với sao kê của cổng thanh toán (TT 01/2023 Điều 28.2; NĐ 45/2020 Điều 13.7.d) / T-1 review and reconciliation of a day with the provider\'s statement')
  .requiredOption('--date <day>', 'ngày đối soát, dd/mm/yyyy hoặc yyyy-mm-dd / the day, dd/mm/yyyy or yyyy-mm-dd')
  .option('--statement <file>', 'tệp sao kê JSON hoặc CSV thay cho sao kê lấy từ cổng / a JSON or CSV statement file instead of asking the provider')
  .action(async (options: ReconcileCommandOptions) => {
    const config = loadConfig();
    const database = await openProductDatabase(config, createLogger(config.logLevel), { shareRunning: true });
    try {
      const run = await reconcileCommand(database.db, options);
      process.stdout.write(`${reconciliationSummary(run)}\n`);
      // A mismatch is something to settle: a scheduler running this sees it in the exit status.
      process.exitCode = run.mismatchCount === 0 ? 0 : 2;
    } finally {
      await database.close();
    }
  });

program
  .command('calibrate')
  .description('Hiệu chỉnh mô hình theo thực tế: đo giờ làm việc, thời gian chờ, tỷ lệ nhánh và vòng bổ sung từ lịch sử hồ sơ / calibrate a deployed procedure from its history (docs/calibration.md)')
  .argument('<procedure>', 'mã quy trình đã triển khai (id của bpmn:process) / the deployed process key')
  .option('--from <day>', 'từ ngày (yyyy-mm-dd), theo ngày hồ sơ bắt đầu / first day, by the day instances started')
  .option('--to <day>', 'đến ngày (yyyy-mm-dd) / last day')
  .option('--version <n>', 'phiên bản đã triển khai / deployed version (latest by default)', wholeNumber)
  .option('--model <id>', 'thêm vào mô hình đã lưu này như phiên bản mới / add to this saved model as its next version')
  .option('--json', 'in kết quả dạng JSON / print JSON')
  .action(async (procedure: string, options: CalibrateOptions) => {
    process.stdout.write(`${await calibrateCommand(procedure, options)}\n`);
  });

program.parseAsync(process.argv).catch(fail);
