import { expect } from 'vitest';
import { renderSmsText, SMS_MAX_SEGMENTS, type SmsEncoding } from '../../src/messaging/sms-render.ts';
import { countSmsSegments } from '../../src/shared/sms-segments.ts';

/** What Twilio refuses above (error 21617). */
const TWILIO_MAX_BODY = 1600;

const LINE =
  '12. Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở, Sở Tài nguyên và Môi trường, cấp ngày 20/11/2026';

/** A reply text of `length` characters: lines of Vietnamese words, like a list that ran long. */
export function longReplyText(length: number): string {
  const lines = Array.from({ length: Math.ceil(length / (LINE.length + 1)) }, () => LINE).join('\n');
  return Array.from(lines).slice(0, length).join('');
}

/** The segments `text` takes as an SMS in `encoding`, before any cut. */
export function renderedSegments(text: string, encoding: SmsEncoding): number {
  return countSmsSegments(renderSmsText({ text }, encoding)).segments;
}

/**
 * Checks an SMS body sent for `text`: at most {@link SMS_MAX_SEGMENTS} parts and 1,600 characters, the start of
 * the rendered text cut after a whole word, ended with "...".
 */
export function expectCutAtWord(body: string | undefined, text: string, encoding: SmsEncoding): void {
  const rendered = renderSmsText({ text }, encoding);
  expect(body).toMatch(/\S\.\.\.$/u);
  const kept = (body ?? '').slice(0, -3);
  expect(rendered.startsWith(kept)).toBe(true);
  expect(rendered.charAt(kept.length)).toMatch(/\s/u);
  expect(countSmsSegments(body ?? '')).toMatchObject({
    encoding: encoding === 'gsm7' ? 'GSM-7' : 'UCS-2',
    segments: SMS_MAX_SEGMENTS,
  });
  expect((body ?? '').length).toBeLessThanOrEqual(TWILIO_MAX_BODY);
}
