import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../shared/sms-segments.ts';
import { renderSmsBody, SMS_MAX_SEGMENTS } from './sms-render.ts';

describe('renderSmsBody', () => {
  it('keeps a body of 10 segments whole and says it was not cut', () => {
    const text = 'a'.repeat(1530);

    expect(renderSmsBody({ text }, 'gsm7')).toEqual({ text, segments: 10 });
  });

  it('cuts a 5,000-character word anywhere when it has no space to cut at', () => {
    const body = renderSmsBody({ text: 'A'.repeat(5000) }, 'gsm7');

    expect(body).toEqual({ text: `${'A'.repeat(1527)}...`, segments: 10, cutFrom: 33 });
  });

  it('never splits a GSM-7 extension character (2 septets) across the limit', () => {
    const body = renderSmsBody({ text: `x ${'€'.repeat(3000)}` }, 'gsm7');

    expect(body.text).toMatch(/^x €+\.\.\.$/u);
    expect(countSmsSegments(body.text)).toMatchObject({ encoding: 'GSM-7', segments: SMS_MAX_SEGMENTS });
  });

  it('never splits a surrogate pair in unicode mode', () => {
    const body = renderSmsBody({ text: 'Chào 😀'.repeat(1000) }, 'unicode');

    expect(body.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
    expect(body.text.endsWith('...')).toBe(true);
    expect(countSmsSegments(body.text)).toMatchObject({ encoding: 'UCS-2', segments: SMS_MAX_SEGMENTS });
    expect(body.cutFrom).toBeGreaterThan(SMS_MAX_SEGMENTS);
  });
});
