import type { Language } from '../../src/messaging/channel.ts';
import { MESSENGER_ONLY, samplesOf } from '../kit/copy-samples.ts';

/** Sentences of the status check (the account lines themselves are in flows/account). */
const vi = {
  noAccount: () => 'Số điện thoại này chưa có tài khoản công dân số. Gửi DK để đăng ký.',
  noAccountLinked: () =>
    'Cuộc trò chuyện này chưa liên kết với tài khoản công dân số nào. Gửi LK nếu bạn đã đăng ký (ví dụ qua SMS), hoặc DK để đăng ký.',
};

const en: typeof vi = {
  noAccount: () => 'This phone number has no digital citizen account yet. Send DK to register.',
  noAccountLinked: () =>
    'This chat is not linked to a digital citizen account. Send LK if you already registered (by SMS, say), or DK to register.',
};

/** The status sentences in each language. */
export const statusCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [samplesOf(statusCopy, { noAccount: [[]], noAccountLinked: MESSENGER_ONLY })];
