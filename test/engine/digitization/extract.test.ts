import { describe, expect, it } from 'vitest';
import { exclusionOf, DOCUMENT_KINDS } from '../../../engine/digitization/document-kinds.ts';
import { extractMetadata, properName } from '../../../engine/digitization/extract.ts';
import { codeOf, validateMetadata } from '../../../engine/digitization/metadata.ts';
import { QuyTrinhError } from '../../../engine/errors.ts';

// What tesseract.js read off test/fixtures/digitization/birth-certificate-p1.png (one wrapped line).
const BIRTH_CERTIFICATE = [
  [96, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'],
  [94, 'Độc lập - Tự do - Hạnh phúc'],
  [93, 'GIẤY KHAI SINH'],
  [92, 'Số: 125/2024/KS'],
  [94, 'Họ, chữ đệm, tên: NGUYỄN THỊ HỒNG NHUNG'],
  [96, 'Ngày, tháng, năm sinh: 15/03/2024'],
  [78, 'Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam'],
  [96, 'Số định danh cá nhân: 001324012345'],
  [96, 'Nơi sinh: Bệnh viện Phụ sản Hà Nội'],
  [95, 'Họ, chữ đệm, tên người mẹ: TRẦN THỊ MAI'],
  [95, 'Họ, chữ đệm, tên người cha: NGUYỄN VĂN HÙNG'],
  [96, 'Nơi đăng ký khai sinh: Ủy ban nhân dân phường Dịch Vọng, thành phố Hà'],
  [96, 'Nội'],
  [96, 'Hà Nội, ngày 20 tháng 03 năm 2024'],
  [94, 'NGƯỜI KÝ GIẤY KHAI SINH'],
].map(([confidence, text]) => ({ confidence: confidence as number, text: text as string }));

describe('pre-filling the metadata of Circular 01 Art. 9.2 from OCR text', () => {
  it('reads a birth certificate field by field, with where and how sure', () => {
    const found = extractMetadata([{ lines: BIRTH_CERTIFICATE }, { lines: [{ text: 'TRANG 2', confidence: 90 }] }]);
    const values = Object.fromEntries(Object.entries(found).map(([field, suggestion]) => [field, suggestion?.value ?? null]));
    expect(values).toEqual({
      documentTypeCode: 'GKS',
      holderId: '001324012345',
      holderName: 'Nguyễn Thị Hồng Nhung',
      holderBornOn: '2024-03-15',
      documentName: 'Giấy khai sinh',
      numberSymbol: '125/2024/KS',
      issuedOn: '2024-03-20',
      issuingAgency: 'Ủy ban nhân dân phường Dịch Vọng, thành phố Hà Nội',
      synopsis: 'Giấy khai sinh của Nguyễn Thị Hồng Nhung',
      validUntil: null,
      validityScope: null,
    });
    expect(found.holderId).toMatchObject({ page: 1, line: 'Số định danh cá nhân: 001324012345', confidence: 0.96 });
    // A labelled field is surer than a made-up synopsis or a local type code.
    expect(found.synopsis!.confidence).toBeLessThan(found.holderName!.confidence);
    expect(found.documentTypeCode!.confidence).toBeLessThan(found.documentName!.confidence);
  });

  it('does not take the parents for the holder, nor "Số định danh" for the number', () => {
    const found = extractMetadata([{ lines: BIRTH_CERTIFICATE.filter((line) => !/^(Họ, chữ đệm, tên:|Số:)/.test(line.text)) }]);
    expect(found.holderName).toBeNull();
    expect(found.numberSymbol).toBeNull();
  });

  it('reads a decision: number, agency header, synopsis, validity, an ID split by OCR', () => {
    const lines = [
      'ỦY BAN NHÂN DÂN',
      'TỈNH BẮC NINH',
      'Số: 12 / QĐ-UBND',
      'QUYẾT ĐỊNH',
      'V/v cấp giấy phép kinh doanh cho hộ ông Lê Văn Bình',
      'Căn cước công dân số 027 090 001 234',
      'Giấy phép có giá trị đến ngày 31/12/2027',
      'Bắc Ninh, ngày 05 tháng 01 năm 2025',
    ].map((text) => ({ text, confidence: 90 }));
    const found = extractMetadata([{ lines }]);
    expect(found.numberSymbol?.value).toBe('12/QĐ-UBND');
    expect(found.issuingAgency?.value).toBe('ỦY BAN NHÂN DÂN TỈNH BẮC NINH');
    expect(found.documentName?.value).toBe('Quyết định');
    expect(found.synopsis?.value).toBe('cấp giấy phép kinh doanh cho hộ ông Lê Văn Bình');
    expect(found.holderId?.value).toBe('027090001234');
    expect(found.validUntil?.value).toBe('2027-12-31');
    expect(found.issuedOn?.value).toBe('2025-01-05');
  });

  it('suggests nothing from nothing', () => {
    expect(Object.values(extractMetadata([{ lines: [] }])).every((value) => value === null)).toBe(true);
    expect(properName('TRẦN  THỊ MAI')).toBe('Trần Thị Mai');
  });
});

describe('the confirmed metadata (Art. 9.1, 9.2) and its code (Art. 10)', () => {
  const confirmed = {
    documentTypeCode: 'GKS', holderId: '001324012345', holderName: 'Nguyễn Thị Hồng Nhung', holderBornOn: '15/03/2024', documentName: 'Giấy khai sinh',
    numberSymbol: '125/2024/KS', issuedOn: '20/03/2024', issuingAgency: 'Ủy ban nhân dân phường Dịch Vọng', synopsis: 'Giấy khai sinh', validUntil: null, validityScope: '',
  };

  it('takes dd/mm/yyyy and keeps YYYY-MM-DD, empty optional fields as null', () => {
    const metadata = validateMetadata(confirmed);
    expect(metadata).toMatchObject({ holderBornOn: '2024-03-15', issuedOn: '2024-03-20', validUntil: null, validityScope: null });
    expect(codeOf(metadata)).toBe('001324012345.GKS.125/2024/KS');
    expect(codeOf(validateMetadata({ ...confirmed, holderId: '' }))).toBe('.GKS.125/2024/KS');
  });

  it('names every faulty field in both languages', () => {
    let error: unknown;
    try {
      validateMetadata({ ...confirmed, holderId: '12', issuedOn: '31/02/2024', documentName: ' ', extra: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QuyTrinhError);
    const { code, kind, details } = error as QuyTrinhError;
    expect({ code, kind }).toEqual({ code: 'digitization.metadata-invalid', kind: 'unprocessable' });
    expect(details.map((detail) => detail.field).sort()).toEqual(['body.metadata.documentName', 'body.metadata.extra', 'body.metadata.holderId', 'body.metadata.issuedOn']);
    const issued = details.find((detail) => detail.field === 'body.metadata.issuedOn')!;
    expect(issued.messages).toEqual({ vi: 'Ngày ban hành: Ngày 31/02/2024 không có trong lịch', en: 'The issue date: 31/02/2024 is not a day of the calendar' });
  });

  it('needs the name and date of birth when there is no ID (Art. 9.2.b)', () => {
    const refused = (() => {
      try {
        validateMetadata({ ...confirmed, holderId: null, holderBornOn: null });
      } catch (error) {
        return error as QuyTrinhError;
      }
    })();
    expect(refused?.details).toEqual([expect.objectContaining({ field: 'body.metadata.holderId', messages: expect.objectContaining({ en: expect.stringContaining('Art. 9.2.b') }) })]);
  });
});

describe('what Art. 4.4 excludes', () => {
  it('flags shared data, paper copies, documents only shown and classified ones', () => {
    expect(DOCUMENT_KINDS.filter((kind) => exclusionOf(kind)).map((kind) => `${kind} ${exclusionOf(kind)!.article}`)).toEqual([
      'shared-as-data Điều 4.4.a', 'photocopy Điều 4.4.b', 'certified-photocopy Điều 4.4.b', 'presented-only Điều 4.4.c', 'classified Điều 4.4.d',
    ]);
    expect(exclusionOf('certified-electronic-copy')).toBeUndefined();
  });
});
