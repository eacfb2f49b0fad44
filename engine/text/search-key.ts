/**
 * Vietnamese text as it is searched and compared: without tone marks or diacritics, đ as d, in
 * lower case, spaces collapsed. "dang ky" finds "Đăng ký khai sinh", "ha noi" finds Hà Nội.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
