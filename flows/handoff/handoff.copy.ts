import type { Language } from '../../src/messaging/channel.ts';
import { COMPOSED, MASKED_PHONE, samplesOf } from '../kit/copy-samples.ts';

/**
 * Sentences of the hand-off to a person (GAP, NHAN, XONG, the relay). `n` is the hand-off's number. Every one
 * fits one SMS segment once made unaccented: a team name is cut to 40 characters and a citizen's message to 60
 * before they are put in (see handoff-text.ts).
 */
const vi = {
  // To the citizen.
  opened: (n: number) =>
    `Đã chuyển yêu cầu #${n} đến tình nguyện viên. Một người sẽ trả lời bạn tại đây; hãy viết câu hỏi của bạn. Gửi HUY để quay lại trợ lý tự động.`,
  kept: (n: number) =>
    `Đã lưu tin nhắn của bạn cho tình nguyện viên (#${n}). Gửi HUY để quay lại trợ lý tự động.`,
  taken: (n: number) => `Một tình nguyện viên đã nhận yêu cầu #${n} và sẽ trả lời bạn tại đây.`,
  waitingToday: (n: number) =>
    `Chưa có ai nhận yêu cầu #${n}. Bạn sẽ được trả lời trong hôm nay, trước 21:00. Tin nhắn của bạn vẫn được lưu. Gửi HUY để hủy.`,
  waitingTomorrow: (n: number) =>
    `Chưa có ai nhận yêu cầu #${n}. Bạn sẽ được trả lời từ 07:00 sáng mai. Tin nhắn của bạn vẫn được lưu. Gửi HUY để hủy.`,
  /** The volunteer holding it left their team or was removed: it waits for another. */
  takenAgain: (n: number) =>
    `Tình nguyện viên nhận yêu cầu #${n} không thể tiếp tục. Một tình nguyện viên khác sẽ nhận lại và trả lời bạn tại đây. Gửi HUY để hủy.`,
  closedByCitizen: (n: number) =>
    `Đã kết thúc yêu cầu #${n}. Trợ lý tự động trả lời bạn như trước; gửi HD để xem các lệnh.`,
  closedForCitizen: (n: number) =>
    `Yêu cầu #${n} đã kết thúc. Trợ lý tự động trả lời bạn như trước; gửi HD để xem các lệnh, GAP để gặp người.`,
  // To volunteers.
  /** `where`: the channel, and the citizen's phone masked when known ("Zalo, 0905***456"). */
  newRequest: (n: number, where: string, last: string) =>
    `[#${n}] Công dân cần người hỗ trợ (${where}): "${last}". Gửi NHAN ${n} để nhận.`,
  nothingWritten: () => '(chưa viết gì)',
  youHold: (n: number) =>
    `Bạn đã nhận #${n}. Tin bạn viết sẽ gửi đến công dân; lệnh của bạn thì thêm / phía trước (vd /TT). Gửi XONG khi xong.`,
  threadLine: (n: number, text: string) => `[#${n}] ${text}`,
  heldBy: (n: number, team: string, phone: string) => `Yêu cầu #${n} đã được ${team} (${phone}) nhận.`,
  holdingAnother: (n: number) =>
    `Bạn đang giữ yêu cầu #${n}. Gửi XONG để kết thúc trước khi nhận yêu cầu khác.`,
  notFound: (n: number) => `Không có yêu cầu #${n}. Kiểm tra lại số trong tin báo.`,
  alreadyClosed: (n: number) => `Yêu cầu #${n} đã kết thúc.`,
  otherWard: (n: number) => `Yêu cầu #${n} dành cho tổ của phường/xã khác.`,
  askNumber: () => 'Gửi NHAN và số yêu cầu trong tin báo, ví dụ: NHAN 12.',
  notMember: () =>
    'Chỉ thành viên tổ công nghệ số mới nhận được yêu cầu hỗ trợ. Để tham gia, gửi TNV và mã mời của tổ.',
  closedByYou: (n: number) =>
    `Đã kết thúc yêu cầu #${n}. Công dân đã được báo, trợ lý tự động trả lời họ như trước.`,
  citizenLeft: (n: number) => `[#${n}] Công dân đã kết thúc yêu cầu (HUY).`,
  closedByStaff: (n: number) => `[#${n}] Cán bộ đã kết thúc yêu cầu.`,
  staffWrote: (n: number, text: string) => `[#${n}] Cán bộ: ${text}`,
  split: (n: number, parts: number) => `[#${n}] Tin của bạn dài nên đã gửi thành ${parts} SMS.`,
  notHolding: () => 'Bạn không giữ yêu cầu hỗ trợ nào. Gửi NHAN và số yêu cầu để nhận.',
};

const en: typeof vi = {
  opened: (n) =>
    `Request #${n} was passed to the volunteers. A person will answer you here; write your question. Send HUY to go back to the assistant.`,
  kept: (n) => `Your message is kept for the volunteer (#${n}). Send HUY to go back to the assistant.`,
  taken: (n) => `A volunteer took request #${n} and will answer you here.`,
  waitingToday: (n) =>
    `Nobody has taken request #${n} yet. You will get an answer today, before 21:00. Your messages are kept. Send HUY to cancel.`,
  waitingTomorrow: (n) =>
    `Nobody has taken request #${n} yet. You will get an answer from 07:00 tomorrow. Your messages are kept. Send HUY to cancel.`,
  takenAgain: (n) =>
    `The volunteer who took request #${n} can no longer answer. Another volunteer will take it and answer you here. Send HUY to cancel.`,
  closedByCitizen: (n) =>
    `Request #${n} is closed. The assistant answers you again; send HD for the commands.`,
  closedForCitizen: (n) =>
    `Request #${n} is closed. The assistant answers you again; send HD for the commands, GAP for a person.`,
  newRequest: (n, where, last) =>
    `[#${n}] A citizen needs a person (${where}): "${last}". Send NHAN ${n} to take it.`,
  nothingWritten: () => '(nothing yet)',
  youHold: (n) =>
    `You took #${n}. What you write goes to the citizen; put / before your own commands (e.g. /TT). Send XONG when done.`,
  threadLine: (n, text) => `[#${n}] ${text}`,
  heldBy: (n, team, phone) => `Request #${n} was taken by ${team} (${phone}).`,
  holdingAnother: (n) => `You hold request #${n}. Send XONG to close it before taking another.`,
  notFound: (n) => `There is no request #${n}. Check the number in the notice.`,
  alreadyClosed: (n) => `Request #${n} is closed.`,
  otherWard: (n) => `Request #${n} is for the teams of another ward.`,
  askNumber: () => 'Send NHAN and the number in the notice, e.g. NHAN 12.',
  notMember: () =>
    'Only members of a community digital team can take requests for help. To join, send TNV and your team’s invite code.',
  closedByYou: (n) => `Request #${n} is closed. The citizen was told; the assistant answers them again.`,
  citizenLeft: (n) => `[#${n}] The citizen closed the request (HUY).`,
  closedByStaff: (n) => `[#${n}] City staff closed the request.`,
  staffWrote: (n, text) => `[#${n}] Staff: ${text}`,
  split: (n, parts) => `[#${n}] Your message was long, so it went as ${parts} SMS.`,
  notHolding: () => 'You hold no request for help. Send NHAN and a request number to take one.',
};

/** The hand-off sentences in each language. */
export const handoffCopy: Record<Language, typeof vi> = { vi, en };

/** The largest hand-off number the samples assume (seven digits). */
const N = 9_999_999;
/** A team name cut to 40 characters, as it is put in. */
const TEAM_40 = 'Tổ công nghệ số cộng đồng phường Hải Châu';
/** A citizen's message cut to 60 characters, as it is quoted. */
const QUOTE_60 = `${'Tôi không đăng ký được tài khoản, hệ thống báo lỗi mãi'.padEnd(57, '.')}...`;

/** Worst-case arguments for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [
  samplesOf(handoffCopy, {
    opened: [[N]],
    kept: [[N]],
    taken: [[N]],
    waitingToday: [[N]],
    waitingTomorrow: [[N]],
    takenAgain: [[N]],
    closedByCitizen: [[N]],
    closedForCitizen: [[N]],
    newRequest: [
      [N, `Telegram, ${MASKED_PHONE}`, QUOTE_60],
      [N, 'Zalo', '(chưa viết gì)'],
    ],
    nothingWritten: [[]],
    youHold: [[N]],
    // The relayed text is split by messagesFor (handoff-text.ts) so that each part fits with this prefix.
    threadLine: COMPOSED,
    heldBy: [[N, TEAM_40, MASKED_PHONE]],
    holdingAnother: [[N]],
    notFound: [[N]],
    alreadyClosed: [[N]],
    otherWard: [[N]],
    askNumber: [[]],
    notMember: [[]],
    closedByYou: [[N]],
    citizenLeft: [[N]],
    closedByStaff: [[N]],
    staffWrote: COMPOSED,
    split: [[N, 99]],
    notHolding: [[]],
  }),
];
