import type { TeamRole } from '../../src/domain/teams/team.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { MESSENGER_ONLY, samplesOf } from '../kit/copy-samples.ts';

/**
 * Sentences of `TNV` (joining, showing and leaving a community digital-technology team). `team` is the team's
 * name, cut to {@link TEAM_NAME_SMS_CHARACTERS} by SMS; `ward` the name of its commune-level unit.
 */

/** How much of a team's name an SMS shows (names may be 120 characters; an answer must stay one segment). */
export const TEAM_NAME_SMS_CHARACTERS = 30;

const vi = {
  role: (role: TeamRole): string => (role === 'leader' ? 'tổ trưởng' : 'thành viên'),
  joined: (team: string, ward: string, role: string) =>
    `Bạn đã vào tổ ${team} (${ward}), là ${role}. Gửi DKH để đăng ký hộ người dân, NHAN <số> để nhận yêu cầu hỗ trợ.`,
  alreadyMember: (team: string, ward: string, role: string) =>
    `Bạn đã là ${role} tổ ${team} (${ward}). Gửi DKH để đăng ký hộ, NHAN <số> để nhận hỗ trợ.`,
  inOtherTeam: (team: string, ward: string) =>
    `Bạn đang ở tổ ${team} (${ward}). Mỗi người chỉ ở một tổ: gửi TNV ROI để rời tổ này trước.`,
  wrongCode: () =>
    'Mã mời không đúng. Kiểm tra mã 8 ký tự tổ trưởng hoặc phường, xã gửi bạn, rồi gửi TNV <mã mời>.',
  blocked: (time: string) => `Bạn đã nhập sai mã mời nhiều lần. Vui lòng thử lại sau ${time}.`,
  linkFirst: () =>
    'Để tham gia tổ công nghệ số, hãy liên kết số điện thoại trước: gửi LK, rồi gửi lại TNV <mã mời>.',
  membership: (team: string, ward: string, role: string) =>
    `Bạn là ${role} tổ ${team} (${ward}). Gửi DKH để đăng ký hộ, NHAN <số> để nhận hỗ trợ, TNV ROI để rời tổ.`,
  notMember: () =>
    'Bạn chưa ở tổ công nghệ số nào. Để tham gia, gửi TNV và mã mời 8 ký tự (hỏi tổ trưởng hoặc phường, xã).',
  left: (team: string) => `Bạn đã rời tổ ${team}. Gửi TNV <mã mời> nếu muốn tham gia lại.`,
  nothingToLeave: () => 'Bạn không ở tổ công nghệ số nào nên không có tổ để rời.',
  simulated: () =>
    'Đây là trình mô phỏng: không thể vào tổ công nghệ số từ đây. Tổ viên đăng nhập bảng điều khiển bằng điện thoại thật.',
};

const en: typeof vi = {
  role: (role: TeamRole): string => (role === 'leader' ? 'leader' : 'member'),
  joined: (team: string, ward: string, role: string) =>
    `You joined team ${team} (${ward}) as ${role}. Send DKH to register a neighbour, NHAN <number> to take a help request.`,
  alreadyMember: (team: string, ward: string, role: string) =>
    `You are already ${role} of team ${team} (${ward}). Send DKH to register a neighbour, NHAN <number> to help.`,
  inOtherTeam: (team: string, ward: string) =>
    `You are in team ${team} (${ward}). One team at a time: send TNV ROI to leave it first.`,
  wrongCode: () =>
    'That invite code is not valid. Check the 8-character code your team leader or ward gave you, then send TNV <code>.',
  blocked: (time: string) => `Too many wrong invite codes. Please try again after ${time}.`,
  linkFirst: () =>
    'To join a digital technology team, link your phone number first: send LK, then TNV <code> again.',
  membership: (team: string, ward: string, role: string) =>
    `You are ${role} of team ${team} (${ward}). Send DKH to register a neighbour, NHAN <number> to help, TNV ROI to leave.`,
  notMember: () =>
    'You are not in a digital technology team. To join, send TNV and the 8-character invite code (ask the team leader or ward).',
  left: (team: string) => `You left team ${team}. Send TNV <invite code> to join again.`,
  nothingToLeave: () => 'You are not in a digital technology team, so there is none to leave.',
  simulated: () =>
    'This is the simulator: teams cannot be joined from here. Members use their real phone to join and sign in.',
};

/** The sentences of `TNV` in each language. */
export const volunteerCopy: Record<Language, typeof vi> = { vi, en };

/** A team's name as long as an SMS shows it, and the longest ward name. */
const TEAM_NAME = 'Tổ công nghệ số cộng đồng tổ dân phố 12'.slice(0, TEAM_NAME_SMS_CHARACTERS);
const WARD_NAME = wards.map((w) => w.name).reduce((a, b) => (b.length > a.length ? b : a));

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(volunteerCopy, (language) => {
    const roles = (['leader', 'member'] as const).map((role) => volunteerCopy[language].role(role));
    const named = roles.map((role): [string, string, string] => [TEAM_NAME, WARD_NAME, role]);
    return {
      role: [['leader'], ['member']],
      joined: named,
      alreadyMember: named,
      inOtherTeam: [[TEAM_NAME, WARD_NAME]],
      wrongCode: [[]],
      blocked: [['23:59']],
      linkFirst: MESSENGER_ONLY,
      membership: named,
      notMember: [[]],
      left: [[TEAM_NAME]],
      nothingToLeave: [[]],
      simulated: [[]],
    };
  }),
];
