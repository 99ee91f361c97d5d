import type { Authenticity } from '../../domain/shares/open-share.ts';
import type { CheckCommandWords } from './self-check.ts';

/** The languages of the share page: Vietnamese by default, English with `?lang=en`. */
export type PageLanguage = 'vi' | 'en';

/** Why a paper could not be verified. */
type FailureReason = Extract<Authenticity, { authentic: false }>['reason'];

/** The wording of the share page in one language. */
export interface SharePageCopy {
  readonly site: string;
  readonly skipToContent: string;
  readonly languageNav: string;
  /** The link to the other language, written in that language. */
  readonly otherLanguage: { readonly lang: PageLanguage; readonly label: string };
  readonly paperHeading: string;
  readonly facts: {
    readonly type: string;
    readonly issuer: string;
    readonly issuedAt: string;
    readonly validUntil: string;
    readonly noExpiry: string;
  };
  authentic(agency: string): string;
  readonly checkDetails: string;
  checkExplained(keyId: string): string;
  readonly sha256: string;
  readonly keyId: string;
  readonly publicKey: string;
  /** The recipient's own check: the signed record, the signature and a command to check them. */
  readonly selfCheck: {
    readonly heading: string;
    explained(keysUrl: string): string;
    readonly numberHidden: string;
    readonly record: string;
    readonly signature: string;
    readonly command: string;
    readonly commandExplained: string;
    /** What the command says. */
    readonly words: CheckCommandWords;
    readonly fileCommand: string;
    fileCommandExplained(sha256: string): string;
  };
  readonly warning: string;
  readonly failure: Readonly<Record<FailureReason, string>>;
  readonly warningAdvice: string;
  download(type: string, size: string): string;
  readonly qrHeading: string;
  readonly qrAlt: string;
  readonly qrExplained: string;
  linkEnds(time: string, day: string): string;
  readonly recipientHeading: string;
  recipientChecks(origin: string): readonly string[];
  readonly exportHeading: string;
  readonly exportExplained: string;
  readonly exportDownload: string;
  readonly footer: string;
}

/** The share page's wording, vi and en. */
export const sharePageCopy: Readonly<Record<PageLanguage, SharePageCopy>> = {
  vi: {
    site: 'Kho dữ liệu công dân số',
    skipToContent: 'Đến nội dung chính',
    languageNav: 'Ngôn ngữ',
    otherLanguage: { lang: 'en', label: 'English' },
    paperHeading: 'Giấy tờ được chia sẻ',
    facts: {
      type: 'Loại giấy tờ',
      issuer: 'Cơ quan cấp',
      issuedAt: 'Ngày cấp',
      validUntil: 'Có giá trị đến',
      noExpiry: 'Không thời hạn',
    },
    authentic: (agency) => `Bản gốc, do ${agency} cấp, không bị thay đổi`,
    checkDetails: 'Cách kiểm tra và tự kiểm tra',
    checkExplained: (keyId) =>
      `Chữ ký số Ed25519 của hồ sơ giấy tờ hợp lệ với khóa ${keyId} của kho dữ liệu, và mã băm SHA-256 của tệp khớp với mã đã ký.`,
    sha256: 'Mã băm SHA-256 của tệp',
    keyId: 'Mã khóa ký',
    publicKey: 'Khóa công khai để tự kiểm tra',
    selfCheck: {
      heading: 'Tự kiểm tra trên máy tính của bạn',
      explained: (keysUrl) =>
        `Không cần tin trang này: kho dữ liệu đã ký bản ghi dưới đây (chuỗi JSON UTF-8, đúng thứ tự khóa, không có khoảng trắng) bằng chữ ký Ed25519. Khóa công khai được công bố tại ${keysUrl}.`,
      numberHidden:
        'Trang này không hiển thị số giấy tờ: trong bản ghi, số được thay bằng "?". Lệnh kiểm tra sẽ hỏi số này: nhập đúng số in trên giấy tờ bạn tải về.',
      record: 'Bản ghi đã ký (số giấy tờ thay bằng "?")',
      signature: 'Chữ ký (Ed25519, base64url)',
      command: 'Lệnh kiểm tra chữ ký (Node.js 18 trở lên, trên Linux, macOS hoặc WSL)',
      commandExplained:
        'Dán lệnh vào cửa sổ dòng lệnh (Terminal) và nhập số giấy tờ khi được hỏi. Lệnh tải khóa công khai rồi in HỢP LỆ hoặc KHÔNG HỢP LỆ.',
      words: {
        prompt: 'Số giấy tờ (in trên giấy tờ): ',
        valid: 'HỢP LỆ: chữ ký của kho dữ liệu khớp với bản ghi này.',
        invalid:
          'KHÔNG HỢP LỆ: chữ ký không khớp. Hãy kiểm tra lại số giấy tờ đã nhập; nếu vẫn không khớp, đừng chấp nhận giấy tờ này.',
      },
      fileCommand: 'Mã băm của tệp tải về (trên macOS: shasum -a 256)',
      fileCommandExplained: (sha256) =>
        `Kết quả phải bắt đầu bằng ${sha256}, mã băm "sha256" trong bản ghi đã ký.`,
    },
    warning: 'Cảnh báo: không xác thực được giấy tờ này',
    failure: {
      file_changed: 'Tệp đã bị thay đổi so với bản cơ quan đã cấp.',
      signature_invalid: 'Chữ ký số của giấy tờ không hợp lệ.',
      file_missing: 'Không tìm thấy tệp gốc của giấy tờ.',
    },
    warningAdvice:
      'Đừng chấp nhận giấy tờ này. Hãy đề nghị người chia sẻ gửi liên kết mới, hoặc liên hệ cơ quan cấp.',
    download: (type, size) => `Tải giấy tờ (${type}, ${size})`,
    qrHeading: 'Mã QR của trang này',
    qrAlt: 'Mã QR dẫn đến trang này',
    qrExplained: 'Quét mã để mở trang này trên điện thoại khác.',
    linkEnds: (time, day) => `Liên kết này hết hạn lúc ${time} ngày ${day} (giờ Việt Nam).`,
    recipientHeading: 'Người nhận cần kiểm tra',
    recipientChecks: (origin) => [
      `Địa chỉ trang bắt đầu bằng ${origin}/s/`,
      'Trang có dấu xác thực màu xanh ở trên, không phải cảnh báo màu đỏ.',
      'Thông tin trong tệp tải về khớp với người trình giấy tờ.',
    ],
    exportHeading: 'Bản sao dữ liệu của bạn',
    exportExplained:
      'Tệp JSON chứa mọi dữ liệu chúng tôi lưu về bạn. Liên kết chỉ dành cho bạn: đừng chia sẻ cho người khác.',
    exportDownload: 'Tải dữ liệu (JSON)',
    footer: 'Trang này không lưu địa chỉ IP của bạn, chỉ lưu mã băm của nó.',
  },
  en: {
    site: 'Digital citizen data store',
    skipToContent: 'Skip to the main content',
    languageNav: 'Language',
    otherLanguage: { lang: 'vi', label: 'Tiếng Việt' },
    paperHeading: 'Shared paper',
    facts: {
      type: 'Type of paper',
      issuer: 'Issued by',
      issuedAt: 'Issued on',
      validUntil: 'Valid until',
      noExpiry: 'No expiry',
    },
    authentic: (agency) => `Authentic, issued by ${agency}, unchanged`,
    checkDetails: 'How this was checked, and how to check it yourself',
    checkExplained: (keyId) =>
      `The paper's record carries a valid Ed25519 signature of the data store's key ${keyId}, and the SHA-256 of the file matches the signed one.`,
    sha256: 'SHA-256 of the file',
    keyId: 'Signing key id',
    publicKey: 'Public key to check it yourself',
    selfCheck: {
      heading: 'Check it yourself on your computer',
      explained: (keysUrl) =>
        `No need to trust this page: the data store signed the record below (UTF-8 JSON, keys in this order, no whitespace) with an Ed25519 signature. The public key is published at ${keysUrl}.`,
      numberHidden:
        'This page does not show the paper’s number: in the record it is replaced by "?". The command asks for it: type the number exactly as printed on the paper you downloaded.',
      record: 'Signed record (the number replaced by "?")',
      signature: 'Signature (Ed25519, base64url)',
      command: 'Command to check the signature (Node.js 18 or later, on Linux, macOS or WSL)',
      commandExplained:
        'Paste the command into a terminal and type the paper’s number when asked. It fetches the public key and prints VALID or NOT VALID.',
      words: {
        prompt: 'Paper number (as printed on the paper): ',
        valid: 'VALID: the data store signature matches this record.',
        invalid:
          'NOT VALID: the signature does not match. Check the number you typed; if it still does not match, do not accept this paper.',
      },
      fileCommand: 'SHA-256 of the downloaded file (on macOS: shasum -a 256)',
      fileCommandExplained: (sha256) =>
        `The result must start with ${sha256}, the "sha256" of the signed record.`,
    },
    warning: 'Warning: this paper could not be verified',
    failure: {
      file_changed: 'The file differs from the one the agency issued.',
      signature_invalid: 'The paper’s digital signature is not valid.',
      file_missing: 'The paper’s original file cannot be found.',
    },
    warningAdvice:
      'Do not accept this paper. Ask the person who shared it for a new link, or contact the issuing agency.',
    download: (type, size) => `Download the paper (${type}, ${size})`,
    qrHeading: 'QR code of this page',
    qrAlt: 'QR code linking to this page',
    qrExplained: 'Scan it to open this page on another phone.',
    linkEnds: (time, day) => `This link ends at ${time} on ${day} (Vietnam time).`,
    recipientHeading: 'What the recipient should check',
    recipientChecks: (origin) => [
      `The page's address starts with ${origin}/s/`,
      'The page shows the green mark above, not a red warning.',
      'The details in the downloaded file match the person presenting it.',
    ],
    exportHeading: 'Your data export',
    exportExplained:
      'A JSON file with all the data we hold about you. This link is for you only: do not share it.',
    exportDownload: 'Download your data (JSON)',
    footer: 'This page does not keep your IP address, only a keyed hash of it.',
  },
};

/** The bilingual page for any link that cannot be opened (unknown, expired, revoked, used up, malformed). */
export const notFoundCopy = {
  title: 'Liên kết không hợp lệ hoặc đã hết hạn · This link is not valid or has ended',
  vi: {
    heading: 'Liên kết không hợp lệ hoặc đã hết hạn',
    text: 'Liên kết có thể đã hết hạn, đã bị thu hồi, đã hết lượt xem, hoặc bị nhập sai.',
    advice: 'Hãy đề nghị người chia sẻ gửi cho bạn một liên kết mới.',
  },
  en: {
    heading: 'This link is not valid or has ended',
    text: 'It may have expired, been revoked, reached its number of views, or been mistyped.',
    advice: 'Ask the person who shared it to send you a new link.',
  },
} as const;

/** The bilingual page for a client that guessed too many links. */
export const tooManyCopy = {
  title: 'Quá nhiều yêu cầu · Too many requests',
  vi: {
    heading: 'Quá nhiều yêu cầu',
    text: (minutes: number) =>
      `Bạn đã mở quá nhiều liên kết không hợp lệ. Vui lòng thử lại sau ${minutes} phút.`,
  },
  en: {
    heading: 'Too many requests',
    text: (minutes: number) =>
      `You opened too many links that are not valid. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  },
} as const;
