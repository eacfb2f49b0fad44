/**
 * A model's name as it is searched and compared: without tone marks or diacritics, đ as d, in
 * lower case, spaces collapsed. A staff member types "dang ky" and finds "Đăng ký khai sinh".
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
