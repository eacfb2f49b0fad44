import type { Database } from '../../server/db/connect.ts';
import { applicationFormFor, submitDossier } from '../../server/dossiers/submission.ts';
import { receiveDossier, refuseDossier } from '../../server/dossiers/receipt.ts';
import type { DossierRow } from '../../server/dossiers/records.ts';
import { completeWaitingJob, runBuiltinJob } from '../../server/execution/builtin-jobs.ts';
import { completeUserTask } from '../../server/execution/tasks.ts';
import { accountPrincipal, createAccount, type AccountRow } from '../../server/identity/accounts.ts';
import type { Principal } from '../../server/identity/roles.ts';
import { BIRTH_CHILD } from '../support/birth-application.ts';

/**
 * Issue 14's bench data (test/bench/monitoring.ts): `count` dossiers of the catalogue's birth
 * registration spread over the year before `end`, each carried through the product's own
 * functions in process, as its clients would call them: the citizen's submission
 * (`submitDossier`), the built-in jobs (`runBuiltinJob`: the data-store look-up, the dossier
 * number, the post), the desk's receipt (`receiveDossier`, 2 % refused with `refuseDossier`), the
 * officials' steps (`completeUserTask`), the result's signing completed as an external worker
 * would (`completeWaitingJob`: signing 100,000 PDFs is the PDF bench's matter, not this one's).
 *
 * Time: a discrete-event run over a virtual clock. Every action has its moment (a submission at
 * any hour, the desk's receipt some working hours later, the verification a day or so, ...); the
 * actions are taken in the order of their moments, those of one hour together, with
 * `Date` reading the window's start, so every row the product stamps (history, tasks, deadlines on
 * the working calendar, events, notices) carries the simulated time. Actions due after `end` are
 * not taken: those dossiers are still running, as the last weeks' are on a real desk.
 */
export const PROCEDURE = 'Process_dang_ky_khai_sinh';
const WINDOW_MS = 60 * 60_000;
const CHAINS = 6;
const HOUR = 3_600_000;
const APPLICANTS = 2000;
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Hữu', 'Thu', 'Quang', 'Hải'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hạnh', 'Hùng', 'Khánh', 'Lan', 'Long', 'Mai', 'Nam', 'Phương', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Yến'];
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]).toString('base64');

/** A deterministic pseudo-random sequence (mulberry32), so two seedings of one size are alike. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `Date` reading the virtual clock when asked for now; any other use is the real Date. */
const RealDate = Date;
let virtualNow: number | undefined;
class VirtualDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0 && virtualNow !== undefined) super(virtualNow);
    else super(...(args as []));
  }
  static override now(): number {
    return virtualNow ?? RealDate.now();
  }
}

interface Action {
  at: number;
  dossier: number;
  run: () => Promise<void>;
}

/** A min-heap of actions by moment. */
class Agenda {
  private readonly heap: Action[] = [];
  get size() {
    return this.heap.length;
  }
  push(action: Action) {
    const h = this.heap;
    h.push(action);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }
  peek(): Action | undefined {
    return this.heap[0];
  }
  pop(): Action | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

export interface SeedProgress {
  submitted: number;
  actions: number;
  running: number;
}

/**
 * Where a seeding stands, kept beside the data (monitoring.ts): the timeline (`count` dossiers over
 * the year before `end`), how many were submitted and the virtual moment reached. A seeding
 * stopped at its time limit goes on from there in the next run: the dossiers still running are
 * picked up from their open steps, the next submissions keep their moments.
 */
export interface SeedState {
  count: number;
  end: string;
  submitted: number;
  clock: number | null;
  done: boolean;
}

export async function seedMonitoringBench(db: Database, state: SeedState, deadline: number, progress: (seeded: SeedProgress) => Promise<void>): Promise<SeedProgress> {
  const { count } = state;
  const end = new Date(state.end);
  const rand = random(2026 + state.submitted);
  const lognormal = (medianHours: number, spread: number) => medianHours * HOUR * Math.exp(spread * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
  const admin = await accountPrincipal(db, (await db<AccountRow>('accounts').where({ username: 'quantri' }).first())!);
  const applicants = await applicantsOf(db, rand);
  const start = end.getTime() - 365 * 24 * HOUR;
  const agenda = new Agenda();
  const stats: SeedProgress = { submitted: state.submitted, actions: 0, running: 0 };
  const dossiers = new Map<number, string>();

  // What a dossier waits on next, its open steps and jobs, read in one statement after each of its
  // actions (the seeding's own reads are a tenth of its statements: one round trip, not three).
  const driver = (index: number, dossierId: string, instanceId: string) => async (): Promise<void> => {
    const { rows: open } = await db.raw<{ rows: Array<{ id: string; element_id: string; job_type: string | null }> }>(
      `select id, element_id, null as job_type from user_tasks where instance_id = :instance and status = 'open'
       union all select id, element_id, job_type from service_jobs where instance_id = :instance and status = 'open'`, { instance: instanceId });
    const tasks = open.filter((row) => row.job_type === null);
    const jobs = open.filter((row): row is typeof row & { job_type: string } => row.job_type !== null);
    const now = Date.now();
    const next = (delay: number, run: () => Promise<void>) => agenda.push({ at: now + delay, dossier: index, run: async () => { await run(); await driver(index, dossierId, instanceId)(); } });
    for (const job of jobs) {
      if (job.job_type === 'result.sign' || job.job_type === 'payment.online') next(lognormal(0.05, 0.5), async () => void (await completeWaitingJob(db, job.id, {}, 'worker:bench')));
      else next(lognormal(job.job_type === 'result.post' ? 16 : 0.02, 0.5), () => runBuiltinJob(db, job.id, { number: 1, max: 5 }));
    }
    for (const task of tasks) {
      switch (task.element_id) {
        case 'Task_tiep_nhan':
          // The desk decides within its 08 working hours mostly; one in ten later (Decree 45 Art. 11.4).
          next(lognormal(rand() < 0.1 ? 30 : 3, 0.6), async () => {
            const current = (await db<DossierRow>('dossiers').where({ id: dossierId }).first())!;
            if (rand() < 0.02) await refuseDossier(db, admin, current, { reasons: ['Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan'] });
            else await receiveDossier(db, admin, current);
          });
          break;
        case 'Task_xac_minh':
          next(lognormal(20, 0.7), () => completeUserTask(db, task.id, { duDieuKien: rand() >= 0.03, soDinhDanhCaNhan: `0012260${String(index).padStart(5, '0')}` }, 'account:chuyenvien.xa'));
          break;
        default:
          next(lognormal(4, 0.6), () => completeUserTask(db, task.id, {}, 'account:lanhdao.xa'));
      }
    }
    if (tasks.length === 0 && jobs.length === 0) dossiers.delete(index);
  };

  // Going on from an earlier run: the running dossiers' next steps, from their open tasks and jobs, at the moment reached.
  if (state.clock !== null) {
    const running = await db('dossiers').whereNull('ended_at').select<Array<{ id: string; instance_id: string }>>('id', 'instance_id');
    virtualNow = state.clock;
    const globalDate = globalThis.Date;
    globalThis.Date = VirtualDate as DateConstructor;
    try {
      for (const [n, { id, instance_id }] of running.entries()) {
        dossiers.set(-1 - n, id);
        await driver(-1 - n, id, instance_id)();
      }
    } finally {
      globalThis.Date = globalDate;
    }
  }
  for (let i = state.submitted; i < count; i++) {
    // Its moment from its number alone, so that a seeding resumed keeps the timeline.
    const at = start + ((i + random(i)()) / count) * (end.getTime() - start);
    agenda.push({
      at,
      dossier: i,
      run: async () => {
        const applicant = applicants[Math.floor(rand() * applicants.length)]!;
        const { dossier } = await submitDossier(db, applicant.principal, { procedureKey: PROCEDURE, formVersion: applicant.formVersion, data: applicant.data, components: [{ name: applicant.component, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: PDF }] });
        dossiers.set(i, dossier.id);
        stats.submitted = Math.max(stats.submitted, i + 1);
        await driver(i, dossier.id, dossier.instance_id)();
      },
    });
  }

  const globalDate = globalThis.Date;
  globalThis.Date = VirtualDate as DateConstructor;
  try {
    let reported = RealDate.now();
    while (agenda.size > 0 && agenda.peek()!.at <= end.getTime() && RealDate.now() < deadline) {
      const windowStart = agenda.peek()!.at;
      const batch: Action[] = [];
      while (agenda.size > 0 && agenda.peek()!.at < windowStart + WINDOW_MS && agenda.peek()!.at <= end.getTime()) batch.push(agenda.pop()!);
      virtualNow = windowStart;
      // One action per dossier at a time: two of one dossier in a window go in their order.
      const byDossier = new Map<number, Action[]>();
      for (const action of batch) byDossier.set(action.dossier, [...(byDossier.get(action.dossier) ?? []), action]);
      // At most CHAINS dossiers at once, fewer than the pool's 10 connections: a product function
      // that reads through the pool inside its transaction (the working calendars, loaded when first
      // asked) needs a second connection, and ten transactions each waiting for one starved the pool
      // when a resumed seeding started with hundreds of dossiers due at once.
      const chains = [...byDossier.values()];
      let taken = 0;
      await Promise.all(Array.from({ length: Math.min(CHAINS, chains.length) }, async () => {
        while (taken < chains.length) {
          for (const action of chains[taken++]!) await action.run();
        }
      }));
      stats.actions += batch.length;
      // Submissions go in number order, so every one below `submitted` is in when a window ends.
      state.submitted = stats.submitted;
      state.clock = windowStart + WINDOW_MS;
      if (RealDate.now() - reported > 30_000) {
        reported = RealDate.now();
        await progress({ ...stats, running: dossiers.size });
      }
    }
  } finally {
    globalThis.Date = globalDate;
    virtualNow = undefined;
  }
  state.done = agenda.size === 0 || agenda.peek()!.at > end.getTime();
  stats.running = dossiers.size;
  return stats;
}

interface Applicant {
  principal: Principal;
  formVersion: number;
  data: Record<string, unknown>;
  component: string;
}

/** Citizens with Vietnamese names and ID numbers, each with the birth form filled from their account; created by the first run. */
async function applicantsOf(db: Database, rand: () => number): Promise<Applicant[]> {
  const applicants: Applicant[] = [];
  for (let i = 0; i < APPLICANTS; i++) {
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const fullName = `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    const id = `0010${String(90_000_000 + i).padStart(8, '0')}`;
    const row = (await db<AccountRow>('accounts').where({ username: id }).first()) ?? await createAccount(db, {
      username: id, displayName: fullName, roles: ['citizen'], assuranceLevel: 2, identifiedBy: 'bench', holder: { kind: 'person', id },
      profile: { fullName, dateOfBirth: '1995-09-02', phone: '0987654321', address: { province: '01', commune: 'Phường Minh Khai', street: `Số ${i + 1}, ngõ 5 phố Minh Khai` } },
    });
    const principal = await accountPrincipal(db, row);
    const form = await applicationFormFor(db, principal, PROCEDURE);
    applicants.push({ principal, formVersion: form.form.version, data: { ...form.prefill.values, ...BIRTH_CHILD, hoTenMe: row.display_name }, component: form.components[0]!.name });
  }
  return applicants;
}
