import { describe, expect, it } from 'vitest';
import { AUTOFILL_PATHS, holderSchema, parseForm, prefill, provinceOptions, validateSubmission, type Holder } from '../../../engine/forms/index.ts';

const autofill = (path: string) => ({ 'qt:autofill': path });

const form = parseForm({
  type: 'default',
  id: 'local:dang-ky-thuong-tru.to-khai',
  schemaVersion: 19,
  components: [
    { type: 'textfield', key: 'hoTen', properties: autofill('holder.fullName'), validate: { required: true } },
    { type: 'textfield', key: 'soDinhDanh', properties: { ...autofill('holder.idNumber'), 'qt:format': 'cccd' } },
    { type: 'datetime', subtype: 'date', key: 'ngaySinh', properties: autofill('holder.dateOfBirth') },
    { type: 'group', components: [{ type: 'textfield', key: 'ngaySinhChu', properties: { ...autofill('holder.dateOfBirth'), 'qt:format': 'date' } }] },
    { type: 'textfield', key: 'dienThoai', properties: { ...autofill('holder.phone'), 'qt:format': 'phone' } },
    { type: 'textfield', key: 'email', properties: { ...autofill('holder.email'), 'qt:format': 'email' } },
    { type: 'select', key: 'tinh', values: provinceOptions(), properties: { ...autofill('holder.address.province'), 'qt:format': 'province' } },
    { type: 'textfield', key: 'xa', properties: { ...autofill('holder.address.commune'), 'qt:format': 'commune' } },
    { type: 'textarea', key: 'diaChi', properties: autofill('holder.address.street') },
    { type: 'textfield', key: 'maSoThue', properties: { ...autofill('holder.taxId'), 'qt:format': 'taxId' } },
    { type: 'textfield', key: 'ghiChu' },
  ],
});

const holder: Holder = {
  fullName: 'Trần Thị Bình',
  idNumber: '036192001122',
  dateOfBirth: '1992-03-08',
  phone: '+84987654321',
  email: 'binh@example.vn',
  address: { province: 'Thành phố Hà Nội', commune: 'Phường Cầu Giấy', street: 'Số 12, ngõ 5' },
  taxId: '0110987654',
};

describe("filling a form from the holder's data (Decree 45 Art. 16.4; Circular 01 Art. 22.2)", () => {
  it('fills every field naming a holder path, as the field shows it, and lists them for confirmation', () => {
    expect(AUTOFILL_PATHS).toHaveLength(9);
    const filled = prefill(form, holder);
    expect(filled).toEqual({
      values: {
        hoTen: 'Trần Thị Bình',
        soDinhDanh: '036192001122',
        ngaySinh: '1992-03-08',
        ngaySinhChu: '08/03/1992',
        dienThoai: '0987654321',
        email: 'binh@example.vn',
        tinh: '01',
        xa: 'Phường Cầu Giấy',
        diaChi: 'Số 12, ngõ 5',
        maSoThue: '0110987654',
      },
      fields: ['hoTen', 'soDinhDanh', 'ngaySinh', 'ngaySinhChu', 'dienThoai', 'email', 'tinh', 'xa', 'diaChi', 'maSoThue'],
    });
    // what was filled is what the server takes back
    expect(validateSubmission(form, filled.values)).toEqual({ ...filled.values, ngaySinhChu: '1992-03-08' });
  });

  it('reads a stored holder, refusing parts it does not know', () => {
    expect(holderSchema.parse(holder)).toEqual(holder);
    expect(holderSchema.safeParse({ ...holder, salary: '1' }).success).toBe(false);
    expect(holderSchema.safeParse({ address: { ward: 'x' } }).success).toBe(false);
  });

  it('leaves out what the holder lacks or what the format refuses, rather than fill it wrong', () => {
    expect(prefill(form, { fullName: '  ', idNumber: '12', dateOfBirth: '1992-02-30', address: { province: 'Bình Dương' } })).toEqual({ values: {}, fields: [] });
    expect(prefill(form, {})).toEqual({ values: {}, fields: [] });
  });
});
