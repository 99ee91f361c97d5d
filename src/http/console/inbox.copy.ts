import type { ConsoleLang } from './console.copy.ts';

/** The Inbox page's text (docs/console.md): Vietnamese first, English second. */
const vi = {
  title: 'Hộp thư',
  intro: 'Các yêu cầu gặp người (GAP) đang chờ hoặc đang có người nhận. Trang tự cập nhật.',
  introStaff: 'Mọi yêu cầu gặp người (GAP) đang chờ hoặc đang có người nhận. Trang tự cập nhật.',
  none: 'Không có yêu cầu nào đang chờ.',
  number: (id: number) => `Yêu cầu #${id}`,
  status: { open: 'đang chờ', held: 'đã có người nhận', closed: 'đã đóng' } as Record<string, string>,
  heldBy: (team: string, phone: string) => `Người nhận: ${team}, ${phone}`,
  heldByYou: 'Người nhận: bạn',
  noPhone: 'chưa rõ số',
  age: (minutes: number) =>
    minutes < 1
      ? 'vừa xong'
      : minutes < 60
        ? `${minutes} phút trước`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} giờ trước`
          : `${Math.floor(minutes / 1440)} ngày trước`,
  thread: 'Cuộc trò chuyện',
  noMessages: 'Chưa có tin nhắn.',
  authors: {
    citizen: 'Người dân',
    volunteer: 'Tình nguyện viên',
    staff: 'Cán bộ',
    bot: 'Trợ lý',
  } as Record<string, string>,
  take: 'Nhận yêu cầu này',
  reply: 'Trả lời người dân',
  replyLabel: 'Tin nhắn gửi người dân',
  send: 'Gửi',
  close: 'Đóng yêu cầu (xong)',
  back: 'Quay lại hộp thư',
  updated: 'Đã cập nhật.',
  forbidden: 'Bạn không được xem yêu cầu này.',
  done: {
    taken: 'Bạn đã nhận yêu cầu. Người dân đã được báo.',
    sent: 'Đã gửi tin nhắn.',
    closed: 'Đã đóng yêu cầu. Người dân đã được báo.',
  } as Record<string, string>,
  errors: {
    held_by_other: 'Yêu cầu này đã có người khác nhận.',
    holding_another: 'Bạn đang giữ một yêu cầu khác. Hãy đóng nó trước.',
    closed: 'Yêu cầu này đã đóng.',
    not_holder: 'Chỉ người đang nhận yêu cầu mới được trả lời hoặc đóng nó.',
    empty: 'Hãy viết tin nhắn.',
    too_long: 'Tin nhắn quá dài (tối đa 1000 ký tự).',
  } as Record<string, string>,
};

const en: typeof vi = {
  title: 'Inbox',
  intro: 'Requests to talk to a person (GAP) waiting or being answered. The page updates by itself.',
  introStaff:
    'Every request to talk to a person (GAP) waiting or being answered. The page updates by itself.',
  none: 'No request is waiting.',
  number: (id) => `Request #${id}`,
  status: { open: 'waiting', held: 'taken', closed: 'closed' },
  heldBy: (team, phone) => `Taken by: ${team}, ${phone}`,
  heldByYou: 'Taken by: you',
  noPhone: 'phone unknown',
  age: (minutes) =>
    minutes < 1
      ? 'just now'
      : minutes < 60
        ? `${minutes} min ago`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} h ago`
          : `${Math.floor(minutes / 1440)} days ago`,
  thread: 'Conversation',
  noMessages: 'No messages yet.',
  authors: { citizen: 'Citizen', volunteer: 'Volunteer', staff: 'Staff', bot: 'Assistant' },
  take: 'Take this request',
  reply: 'Answer the citizen',
  replyLabel: 'Message to the citizen',
  send: 'Send',
  close: 'Close the request (done)',
  back: 'Back to the inbox',
  updated: 'Updated.',
  forbidden: 'You may not see this request.',
  done: {
    taken: 'You took the request. The citizen was told.',
    sent: 'Message sent.',
    closed: 'Request closed. The citizen was told.',
  },
  errors: {
    held_by_other: 'Someone else has taken this request.',
    holding_another: 'You are holding another request. Close it first.',
    closed: 'This request is closed.',
    not_holder: 'Only the volunteer who took the request may answer or close it.',
    empty: 'Write a message.',
    too_long: 'The message is too long (at most 1000 characters).',
  },
};

export const inboxCopy: Record<ConsoleLang, typeof vi> = { vi, en };
