import type { MismatchField } from '../../domain/citizens/citizen.ts';
import type { FunnelStage } from '../../domain/stats/campaign-stats.ts';
import type { StatsTableName } from '../../domain/stats/stats-tables.ts';
import type { ConsoleLang } from './console.copy.ts';

/** The Dashboard page's text: Vietnamese first (the default), English second. */
const vi = {
  nav: 'Thống kê',
  title: 'Thống kê chiến dịch',
  filters: 'Lọc',
  from: 'Từ ngày',
  to: 'Đến ngày',
  ward: 'Phường, xã',
  wholeCity: 'Toàn thành phố',
  show: 'Xem',
  teamWard: (ward: string) => `Tổ của bạn thuộc ${ward}: bạn xem số liệu của phường, xã này.`,
  period: (from: string, to: string, ward: string) => `Từ ${from} đến ${to} · ${ward}.`,
  badDate: 'Ngày không hợp lệ: hãy nhập ngày dạng YYYY-MM-DD, ngày bắt đầu không sau ngày kết thúc.',
  unknownWard: 'Không có phường, xã này.',
  csv: (table: string) => `Tải CSV: ${table}`,
  nothing: 'Không có số liệu trong khoảng thời gian này.',
  chartOf: (table: string) => `Biểu đồ: ${table}`,
  unknownWardName: 'Không rõ (tự đăng ký)',
  tooManyDays: (max: number) =>
    `Biểu đồ theo ngày chỉ vẽ cho khoảng tối đa ${max} ngày; số liệu có trong bảng.`,
  total: 'Tổng',
  tables: {
    'registrations-by-channel': 'Đăng ký mỗi ngày theo kênh',
    'registrations-by-team': 'Đăng ký mỗi ngày theo tổ',
    'registrations-by-ward': 'Đăng ký mỗi ngày theo phường, xã',
    funnel: 'Các bước: bắt đầu → đồng ý → mở tài khoản → xác minh',
    mismatches: 'Không khớp với cơ sở dữ liệu dân cư, theo lý do',
    handoffs: 'Chuyển người hỗ trợ (GAP): đã trả lời và thời gian trả lời đầu tiên',
    leaderboard: 'Bảng xếp hạng các tổ',
  } satisfies Record<StatsTableName, string>,
  columns: {
    day: 'Ngày',
    channel: 'Kênh',
    registrations: 'Đăng ký',
    team: 'Tổ',
    ward: 'Phường, xã',
    stage: 'Bước',
    assisted: 'Qua tình nguyện viên',
    self: 'Tự đăng ký',
    total: 'Tổng',
    field: 'Lý do',
    accounts: 'Tài khoản',
    opened: 'Đã mở',
    answered: 'Đã trả lời',
    median: 'Trung vị đến trả lời đầu',
    average: 'Trung bình đến trả lời đầu',
    rank: 'Hạng',
    members: 'Thành viên',
    verified: 'Đã xác minh',
    handoffsAnswered: 'GAP đã trả lời',
  },
  stages: {
    started: 'Bắt đầu',
    consent_given: 'Đồng ý',
    account_opened: 'Mở tài khoản',
    verified: 'Đã xác minh',
  } satisfies Record<FunnelStage, string>,
  fields: { cccd: 'Số CCCD', full_name: 'Họ tên', date_of_birth: 'Ngày sinh' } satisfies Record<
    MismatchField,
    string
  >,
  describeDays: (days: number, total: number) =>
    `${total} trong ${days} ngày; từng số có trong bảng bên dưới.`,
  describeBars: (count: number) => `${count} cột; từng số có trong bảng bên dưới.`,
  duration: (seconds: number | null) =>
    seconds === null ? '–' : formatDuration(seconds, 'giờ', 'phút', 'giây'),
};

const en: typeof vi = {
  nav: 'Dashboard',
  title: 'Campaign dashboard',
  filters: 'Filters',
  from: 'From',
  to: 'To',
  ward: 'Ward or commune',
  wholeCity: 'The whole city',
  show: 'Show',
  teamWard: (ward: string) => `Your team is in ${ward}: you see this ward’s figures.`,
  period: (from: string, to: string, ward: string) => `From ${from} to ${to} · ${ward}.`,
  badDate: 'Invalid date: type dates as YYYY-MM-DD, and the first day not after the last.',
  unknownWard: 'There is no such ward.',
  csv: (table: string) => `Download CSV: ${table}`,
  nothing: 'Nothing in this period.',
  chartOf: (table: string) => `Chart: ${table}`,
  unknownWardName: 'Unknown (self-registered)',
  tooManyDays: (max: number) =>
    `The daily chart is drawn for at most ${max} days; the table has every number.`,
  total: 'Total',
  tables: {
    'registrations-by-channel': 'Registrations per day by channel',
    'registrations-by-team': 'Registrations per day by team',
    'registrations-by-ward': 'Registrations per day by ward',
    funnel: 'Funnel: started → consent given → account opened → verified',
    mismatches: 'Registry mismatches by reason',
    handoffs: 'Hand-offs (GAP): answered, and time to the first answer',
    leaderboard: 'Leaderboard of teams',
  },
  columns: {
    day: 'Day',
    channel: 'Channel',
    registrations: 'Registrations',
    team: 'Team',
    ward: 'Ward',
    stage: 'Stage',
    assisted: 'Through a volunteer',
    self: 'Self-registered',
    total: 'Total',
    field: 'Reason',
    accounts: 'Accounts',
    opened: 'Opened',
    answered: 'Answered',
    median: 'Median to first answer',
    average: 'Mean to first answer',
    rank: 'Rank',
    members: 'Members',
    verified: 'Verified',
    handoffsAnswered: 'Hand-offs answered',
  },
  stages: {
    started: 'Started',
    consent_given: 'Consent given',
    account_opened: 'Account opened',
    verified: 'Verified',
  },
  fields: { cccd: 'CCCD number', full_name: 'Full name', date_of_birth: 'Date of birth' },
  describeDays: (days: number, total: number) =>
    `${total} over ${days} days; every number is in the table below.`,
  describeBars: (count: number) => `${count} bars; every number is in the table below.`,
  duration: (seconds: number | null) => (seconds === null ? '–' : formatDuration(seconds, 'h', 'min', 's')),
};

/** A number of seconds as hours, minutes and seconds (`1 h 2 min`, `45 s`). */
function formatDuration(seconds: number, h: string, m: string, s: string): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} ${h} ${minutes} ${m}`;
  if (minutes > 0) return rest > 0 ? `${minutes} ${m} ${rest} ${s}` : `${minutes} ${m}`;
  return `${rest} ${s}`;
}

export type DashboardCopy = typeof vi;
export const dashboardCopy: Record<ConsoleLang, DashboardCopy> = { vi, en };
