import path from 'node:path';
import type { ModdleElement } from 'bpmn-moddle';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { loadCatalogue, type CatalogueEntry } from '../../engine/catalogue/index.ts';
import type { Database } from '../db/connect.ts';
import { deployDefinition } from '../execution/definitions.ts';
import type { Logger } from '../logger.ts';
import { projectRoot } from '../paths.ts';
import { saveForm } from '../dossiers/forms.ts';
import { saveCollectionSettings } from '../payments/collection-settings.ts';
import { createAccount, type AccountProfile } from './accounts.ts';
import { createAgency, mapLane } from './agencies.ts';
import type { AgencyFunction, Role } from './roles.ts';

/**
 * Demo data for a newcomer (`npm run demo`, i.e. `quytrinh start --demo`; never on a plain start):
 * three demo agencies (commune, province, ministry level), an official of each function in each,
 * procedure-control staff, an analyst, an administrator and citizens, every one marked `demo`
 * and named "(demo)"; the catalogue's to-be procedures deployed with their lanes mapped to the
 * agencies. Idempotent: a second demo start adds nothing.
 */
export const DEMO_PASSWORD = 'demo-quytrinh';

const AGENCIES = [
  { level: 'commune', code: 'DEMO.01.H01', name: 'UBND xã Minh Khai (demo)', suffix: 'xa' },
  { level: 'province', code: 'DEMO.02.H01', name: 'Trung tâm Phục vụ hành chính công tỉnh (demo)', suffix: 'tinh' },
  { level: 'ministry', code: 'DEMO.03.G01', name: 'Cục Quản lý xuất nhập cảnh (demo)', suffix: 'bo' },
] as const;

const FUNCTION_ACCOUNTS: Array<{ fn: AgencyFunction; prefix: string; title: string }> = [
  { fn: 'tiep-nhan', prefix: 'motcua', title: 'Cán bộ Một cửa' },
  { fn: 'chuyen-vien', prefix: 'chuyenvien', title: 'Chuyên viên' },
  { fn: 'lanh-dao', prefix: 'lanhdao', title: 'Lãnh đạo' },
  // The two functions of a refund (Circular 01 Art. 30.2.a–b), held by two different people.
  { fn: 'lap-hoan-tra', prefix: 'ketoan', title: 'Kế toán (lập chứng từ hoàn trả)' },
  { fn: 'duyet-hoan-tra', prefix: 'duyetchi', title: 'Kế toán trưởng (duyệt chứng từ hoàn trả)' },
];

interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  assuranceLevel: 1 | 2;
  holder?: { kind: 'person' | 'organisation'; id: string };
  memberships?: Array<{ agencyCode: string; function: AgencyFunction }>;
  profile?: AccountProfile;
}

export function demoAccounts(): DemoAccount[] {
  return [
    { username: 'quantri', displayName: 'Quản trị viên (demo)', roles: ['admin'], assuranceLevel: 2 },
    { username: 'kiemsoat', displayName: 'Cán bộ kiểm soát TTHC (demo)', roles: ['staff'], assuranceLevel: 2 },
    { username: 'phantich', displayName: 'Chuyên viên phân tích (demo)', roles: ['analyst'], assuranceLevel: 2 },
    ...AGENCIES.flatMap((agency) => FUNCTION_ACCOUNTS.map(({ fn, prefix, title }): DemoAccount => ({
      username: `${prefix}.${agency.suffix}`,
      displayName: `${title} – ${agency.name}`,
      roles: ['official'],
      assuranceLevel: 2,
      memberships: [{ agencyCode: agency.code, function: fn }],
    }))),
    {
      username: '001099012345',
      displayName: 'Nguyễn Văn An (demo, mức 1)',
      roles: ['citizen'],
      assuranceLevel: 1,
      holder: { kind: 'person', id: '001099012345' },
      profile: { fullName: 'Nguyễn Văn An', dateOfBirth: '1999-05-12', phone: '0912345678', address: { province: '01', commune: 'Phường Minh Khai', street: 'Số 12, ngõ 5 phố Minh Khai' } },
    },
    {
      username: '001099054321',
      displayName: 'Trần Thị Bình (demo, mức 2)',
      roles: ['citizen'],
      assuranceLevel: 2,
      holder: { kind: 'person', id: '001099054321' },
      profile: { fullName: 'Trần Thị Bình', dateOfBirth: '1995-09-02', phone: '0987654321', address: { province: '01', commune: 'Phường Minh Khai', street: 'Số 8, ngõ 5 phố Minh Khai' } },
    },
    { username: '0101234567', displayName: 'Công ty TNHH Minh An (demo)', roles: ['citizen'], assuranceLevel: 2, holder: { kind: 'organisation', id: '0101234567' } },
  ];
}

/** The function a lane's officials hold, read from its id and name as the catalogue draws them. */
export function laneFunction(lane: { id: string; name: string }): AgencyFunction {
  const text = `${lane.id} ${lane.name}`.toLowerCase();
  if (/mot_cua|một cửa|tiep_nhan|tiếp nhận/.test(text)) return 'tiep-nhan';
  if (/lanh_dao|lãnh đạo|chu_tich|chủ tịch/.test(text)) return 'lanh-dao';
  return 'chuyen-vien';
}

/**
 * The lanes of a to-be model officials work in: every lane but the first (the applicant, as the
 * catalogue and the designer's template draw it) and the information system's (`Lane_he_thong`).
 */
export async function officialLanesOf(xml: string): Promise<Array<{ id: string; name: string }>> {
  const { definitions } = await parseBpmn(xml);
  const lanes: Array<{ id: string; name: string }> = [];
  for (const root of (definitions.rootElements as ModdleElement[] | undefined) ?? []) {
    for (const laneSet of (root.laneSets as ModdleElement[] | undefined) ?? []) {
      ((laneSet.lanes as ModdleElement[] | undefined) ?? []).forEach((lane, index) => {
        if (index > 0 && !String(lane.id).includes('he_thong') && typeof lane.name === 'string') lanes.push({ id: String(lane.id), name: lane.name });
      });
    }
  }
  return lanes;
}

function agencyFor(entry: CatalogueEntry): (typeof AGENCIES)[number] {
  const level = entry.procedure.level;
  return AGENCIES.find((agency) => agency.level === (level === 'district' ? 'commune' : level)) ?? AGENCIES[0];
}

export async function createDemoData(db: Database, logger: Logger): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  const accounts = demoAccounts();
  if (await db('accounts').where({ username: accounts[0]!.username, demo: true }).first('id')) return { created: false, accounts };
  for (const agency of AGENCIES) await createAgency(db, { code: agency.code, name: agency.name }, true);
  // Each demo agency collects fees online into a State Treasury account (Circular 01 Art. 27.1; docs/payments.md), paid through the sandbox provider.
  for (const [index, agency] of AGENCIES.entries()) {
    await db.transaction((trx) => saveCollectionSettings(trx, {
      agencyCode: agency.code,
      agencyName: agency.name,
      accountNumber: `3511.0.105${index + 1}234`,
      accountName: `${agency.name} – tài khoản thu phí, lệ phí`,
      citadCode: '01701001',
      bankName: 'Kho bạc Nhà nước khu vực I (demo)',
    }, 'demo'));
  }
  for (const account of accounts) {
    await createAccount(db, { ...account, password: DEMO_PASSWORD, identifiedBy: 'demo', demo: true });
  }
  for (const entry of await loadCatalogue(path.join(projectRoot, 'processes'))) {
    const xml = entry.models['to-be'];
    for (const lane of await officialLanesOf(xml)) await mapLane(db, lane.name, agencyFor(entry).code, laneFunction(lane));
    await deployDefinition(db, xml);
    // Its forms, as the procedure-control staff would upload them (docs/dossiers.md).
    for (const form of entry.forms) await saveForm(db, form.code, form.schema as unknown as Record<string, unknown>, 'demo');
  }
  logger.info({ accounts: accounts.length }, 'demo data created');
  return { created: true, accounts };
}
