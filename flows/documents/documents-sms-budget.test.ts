import { describe, expect, it } from 'vitest';
import type { FlowContext } from '../../src/engine/flow-context.ts';
import type { Language } from '../../src/messaging/channel.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';
import { documentsCopy } from './documents.copy.ts';
import { documentsText } from './documents-text.ts';

// The SMS budget of the answers of CS and THUHOI as documents-text.ts composes them (a long title is cut to fit
// the link): one GSM-7 segment once rendered without diacritics. Every other sentence of documents.copy.ts and
// dossiers.copy.ts is checked with its samples by flows/sms-budget.test.ts; a page of GT or LS may take 3.

/** A 50-character PUBLIC_BASE_URL: the link is then 75 characters (the paper's title is cut to fit). */
const BASE_URL_50 = 'https://congdanso.thanhpho-danang.gov.vn/dichvu/cd';
const LINK = `${BASE_URL_50}/s/${'A'.repeat(22)}`;
const LONG_TITLE = 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất';
const LANGUAGES: readonly Language[] = ['vi', 'en'];

const sms = (language: Language): FlowContext => ({
  language,
  channel: 'twilio-sms',
  address: '+84905123456',
  phone: '+84905123456',
  citizen: null,
  now: new Date('2026-11-27T03:00:00Z'),
});

function oneSegmentAnswers(language: Language): [string, string][] {
  const docs = documentsCopy[language];
  const ctx = sms(language);
  return [
    [
      'shared (long title, 50-character base URL)',
      documentsText.shared(ctx, {
        type: 'shared',
        title: LONG_TITLE,
        url: LINK,
        expiresAt: new Date('2026-12-27T16:59:00Z'),
      }).text,
    ],
    ['revoked (long title)', docs.revoked(documentsText.thing(ctx, { type: 'paper', title: LONG_TITLE }))],
    ['revoked (data export)', docs.revoked(documentsText.thing(ctx, { type: 'export' }))],
  ];
}

describe.each(LANGUAGES)('the SMS budget of the CS and THUHOI answers in %s', (language) => {
  it.each(oneSegmentAnswers(language))('%s is one GSM-7 segment', (_id, text) => {
    const rendered = renderSmsText({ text }, 'gsm7');

    expect(countSmsSegments(rendered)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(rendered.split('?').length).toBe(text.split('?').length);
  });
});
