/**
 * The child's part of the catalogue's birth registration form (processes/dang-ky-khai-sinh/forms/
 * to-khai.form.json), as a parent types it; the requester's part is filled from the account.
 */
export const BIRTH_CHILD_TEXT = {
  hoTenTre: 'Nguyễn Minh An',
  noiSinh: 'Bệnh viện Phụ sản Hà Nội',
  danToc: 'Kinh',
  quocTich: 'Việt Nam',
  hoTenMe: 'Trần Thị Bình',
  danTocMe: 'Kinh',
  quocTichMe: 'Việt Nam',
};

/** The same with the choices, the date of birth (dd/mm/yyyy) and the commitment, as the API takes them. */
export const BIRTH_CHILD = { ...BIRTH_CHILD_TEXT, quanHe: 'Mẹ', ngaySinh: '02/11/2026', gioiTinh: 'Nam', camKet: true };
