import type { ConsoleLang } from './console.copy.ts';

/**
 * The console's Register a neighbour page: its labels and the request's states. The validation hints and the
 * refusals (taken phone, taken CCCD, limits) are DKH's own sentences (flows/registration, flows/assisted), not
 * repeated here.
 */
const vi = {
  title: 'Đăng ký hộ',
  intro:
    'Mở tài khoản Công dân số cho người bạn giúp. Không có gì được tạo cho đến khi người đó đồng ý: trả lời CO tin nhắn gửi tới điện thoại của họ, hoặc đọc cho bạn mã 6 số trong tin.',
  staffOnly:
    'Trang này dành cho thành viên các tổ công nghệ số cộng đồng. Cán bộ thành phố xem các tổ ở trang Tổ công nghệ số.',
  staffTitle: 'Dành cho thành viên tổ',
  phone: 'Số điện thoại di động của người được đăng ký',
  phoneHint: 'Ví dụ 0905123456',
  fullName: 'Họ và tên',
  cccd: 'Số CCCD (12 chữ số)',
  dateOfBirth: 'Ngày sinh',
  dateHint: 'Ngày/tháng/năm, ví dụ 15/02/1990',
  next: 'Tiếp tục',
  fixErrors: 'Vui lòng sửa các ô được đánh dấu.',
  summaryTitle: 'Kiểm tra thông tin',
  summaryIntro:
    'Người này sẽ nhận hai tin nhắn SMS: thông tin dưới đây, và cách đồng ý (trả lời CO hoặc đọc mã) hoặc từ chối.',
  send: 'Gửi tin xin đồng ý',
  edit: 'Sửa thông tin',
  requestTitle: 'Yêu cầu đăng ký hộ',
  neighbourPhone: 'Số điện thoại',
  status: 'Trạng thái',
  pending: (minutes: number) =>
    `Đang chờ đồng ý. Còn ${minutes} phút. Trang tự cập nhật khi người đó trả lời CO.`,
  consented: 'Người đó đã đồng ý, đang mở tài khoản…',
  opened: (code: string) => `Đã mở tài khoản ${code}.`,
  openedNote: 'Kết quả đối chiếu CSDL dân cư sẽ được báo vào cuộc trò chuyện của bạn.',
  refused: 'Người đó đã từ chối. Không mở tài khoản nào, thông tin đã xóa.',
  expired: 'Yêu cầu đã hết hạn vì chưa có trả lời. Không mở tài khoản nào.',
  failedCodes: 'Sai mã quá nhiều lần: yêu cầu đã hủy, không mở tài khoản nào.',
  codeHeading: 'Người đó đọc mã cho bạn?',
  code: 'Mã 6 số trong tin nhắn của người đó',
  confirmCode: 'Xác nhận mã',
  another: 'Đăng ký người khác',
  notFound: 'Không có yêu cầu này, hoặc bạn không được xem.',
  notYours: 'Chỉ người tạo yêu cầu mới nhập mã được.',
};

const en: typeof vi = {
  title: 'Register a neighbour',
  intro:
    'Open a Digital Citizen account for the person you help. Nothing is created until they agree: by replying YES to the SMS sent to their phone, or by reading you the 6-digit code in it.',
  staffOnly:
    'This page is for the members of the community digital teams. City staff see the teams on the Teams page.',
  staffTitle: 'For team members',
  phone: 'Mobile number of the person you register',
  phoneHint: 'E.g. 0905123456',
  fullName: 'Full name',
  cccd: 'CCCD ID card number (12 digits)',
  dateOfBirth: 'Date of birth',
  dateHint: 'Day/month/year, e.g. 15/02/1990',
  next: 'Continue',
  fixErrors: 'Please correct the marked fields.',
  summaryTitle: 'Check the details',
  summaryIntro:
    'They will get two SMS: the details below, and how to agree (reply YES or read out the code) or refuse.',
  send: 'Send the consent SMS',
  edit: 'Change the details',
  requestTitle: 'Registration request',
  neighbourPhone: 'Phone',
  status: 'Status',
  pending: (minutes) =>
    `Waiting for their consent: ${minutes} min left. This page updates by itself when they reply YES.`,
  consented: 'They agreed; opening the account…',
  opened: (code) => `Account ${code} opened.`,
  openedNote: 'The population registry check will be reported in your chat.',
  refused: 'They refused. No account was opened and the details were deleted.',
  expired: 'The request expired without an answer. No account was opened.',
  failedCodes: 'Too many wrong codes: the request is cancelled, no account opened.',
  codeHeading: 'Did they read you the code?',
  code: 'The 6-digit code in their SMS',
  confirmCode: 'Confirm the code',
  another: 'Register someone else',
  notFound: 'There is no such request, or you may not see it.',
  notYours: 'Only the member who made the request may type its code.',
};

/** The Register page's text in each language. */
export const registerCopy: Record<ConsoleLang, typeof vi> = { vi, en };
