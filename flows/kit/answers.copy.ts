import type { Language } from '../../src/messaging/channel.ts';
import { samplesOf } from './copy-samples.ts';

/** Sentences every flow shares: what is said after the last wrong answer, besides the flow's own words. */
const vi = {
  offerPerson: () => 'Cần người giúp? Gửi GAP để gặp tình nguyện viên hoặc cán bộ.',
};

const en: typeof vi = {
  offerPerson: () => 'Need help? Send GAP to talk to a person.',
};

/** The shared answer sentences in each language. */
export const answersCopy: Record<Language, typeof vi> = { vi, en };

/** Worst-case arguments of every sentence, for the SMS budget (flows/sms-budget.test.ts). */
export const smsSamples = [samplesOf(answersCopy, { offerPerson: [[]] })];
