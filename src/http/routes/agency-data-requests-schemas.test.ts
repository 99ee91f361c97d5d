import { describe, expect, it } from 'vitest';
import { dataRequestBody } from './agency-data-requests-schemas.ts';

const body = (callbackUrl: string) => ({
  citizen: 'ABCD-2345',
  purpose: 'Đăng ký thường trú',
  fields: ['fullName'],
  callbackUrl,
});

describe('the callbackUrl of a data request', () => {
  it('in production: https to a public host only', () => {
    const schema = dataRequestBody({ allowHttpCallbacks: false });
    expect(schema.safeParse(body('https://dichvucong.danang.gov.vn/cb')).success).toBe(true);
    for (const url of [
      'http://dichvucong.danang.gov.vn/cb',
      'https://localhost/cb',
      'https://169.254.169.254/x',
    ]) {
      expect(schema.safeParse(body(url)).success, url).toBe(false);
    }
    const refused = schema.safeParse(body('https://10.0.0.5/cb'));
    expect(refused.error?.issues[0]?.message).toBe(
      'must be a public address (not localhost or a private network)',
    );
  });

  it('outside production: any http(s) host, so tests and a local agency can receive it', () => {
    const schema = dataRequestBody({ allowHttpCallbacks: true });
    expect(schema.safeParse(body('http://127.0.0.1:4000/cb')).success).toBe(true);
  });
});
