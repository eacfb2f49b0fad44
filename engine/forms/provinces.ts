/**
 * The 34 provincial-level administrative units after the 2025 rearrangement (Resolution
 * 202/2025/QH15 of 12 June 2025, in force 1 July 2025), with their codes in the list of
 * administrative units (Decision 19/2025/QĐ-TTg): a merged province keeps the code of the
 * former province where its seat is.
 *
 * A form's `province` field stores the two-digit code (stable, what the national population
 * database uses); the name is what people see. The list is written here once: forms, the
 * portal and the printed documents all read it from here.
 */
import { searchKey } from '../text/search-key.ts';

export interface Province {
  code: string;
  name: string;
}

export const PROVINCES: readonly Province[] = [
  { code: '01', name: 'Thành phố Hà Nội' },
  { code: '04', name: 'Tỉnh Cao Bằng' },
  { code: '08', name: 'Tỉnh Tuyên Quang' },
  { code: '11', name: 'Tỉnh Điện Biên' },
  { code: '12', name: 'Tỉnh Lai Châu' },
  { code: '14', name: 'Tỉnh Sơn La' },
  { code: '15', name: 'Tỉnh Lào Cai' },
  { code: '19', name: 'Tỉnh Thái Nguyên' },
  { code: '20', name: 'Tỉnh Lạng Sơn' },
  { code: '22', name: 'Tỉnh Quảng Ninh' },
  { code: '24', name: 'Tỉnh Bắc Ninh' },
  { code: '25', name: 'Tỉnh Phú Thọ' },
  { code: '31', name: 'Thành phố Hải Phòng' },
  { code: '33', name: 'Tỉnh Hưng Yên' },
  { code: '37', name: 'Tỉnh Ninh Bình' },
  { code: '38', name: 'Tỉnh Thanh Hóa' },
  { code: '40', name: 'Tỉnh Nghệ An' },
  { code: '42', name: 'Tỉnh Hà Tĩnh' },
  { code: '44', name: 'Tỉnh Quảng Trị' },
  { code: '46', name: 'Thành phố Huế' },
  { code: '48', name: 'Thành phố Đà Nẵng' },
  { code: '51', name: 'Tỉnh Quảng Ngãi' },
  { code: '52', name: 'Tỉnh Gia Lai' },
  { code: '56', name: 'Tỉnh Khánh Hòa' },
  { code: '66', name: 'Tỉnh Đắk Lắk' },
  { code: '68', name: 'Tỉnh Lâm Đồng' },
  { code: '75', name: 'Tỉnh Đồng Nai' },
  { code: '79', name: 'Thành phố Hồ Chí Minh' },
  { code: '80', name: 'Tỉnh Tây Ninh' },
  { code: '82', name: 'Tỉnh Đồng Tháp' },
  { code: '86', name: 'Tỉnh Vĩnh Long' },
  { code: '91', name: 'Tỉnh An Giang' },
  { code: '92', name: 'Thành phố Cần Thơ' },
  { code: '96', name: 'Tỉnh Cà Mau' },
];

const byCode = new Map(PROVINCES.map((province) => [province.code, province]));

/** Names compared without case, diacritics or the "Tỉnh"/"Thành phố" prefix: "ha noi" finds Hà Nội. */
function nameKey(name: string): string {
  return searchKey(name).replace(/^(tinh|thanh pho|tp\.?)\s+/, '');
}

const byName = new Map(PROVINCES.map((province) => [nameKey(province.name), province]));

/** The province a code (`01`) or a name (`Hà Nội`, `Thành phố Hà Nội`) stands for, if any. */
export function findProvince(codeOrName: string): Province | undefined {
  return byCode.get(codeOrName.trim()) ?? byName.get(nameKey(codeOrName));
}

/** The options of a form-js select of provinces: label the name, value the code. */
export function provinceOptions(): Array<{ label: string; value: string }> {
  return PROVINCES.map((province) => ({ label: province.name, value: province.code }));
}
