import { describe, expect, it } from 'vitest';
import { isPublicAddress, namesPrivateHost, resolvesOnlyToPublic } from './public-address.ts';

describe('public addresses (agency callbacks in production)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '203.113.131.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('refuses hosts that can only be this machine or a private network, as written', () => {
    for (const url of [
      'https://localhost/cb',
      'https://api.localhost/cb',
      'https://127.0.0.1/cb',
      'https://[::1]:8443/cb',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/cb',
    ]) {
      expect(namesPrivateHost(new URL(url)), url).toBe(true);
    }
    expect(namesPrivateHost(new URL('https://dichvucong.danang.gov.vn/cb'))).toBe(false);
    expect(namesPrivateHost(new URL('https://8.8.8.8/cb'))).toBe(false);
  });

  it('checks what a name resolves to (localhost resolves to loopback; a literal is checked as is)', async () => {
    expect(await resolvesOnlyToPublic('localhost')).toBe(false);
    expect(await resolvesOnlyToPublic('127.0.0.1')).toBe(false);
    expect(await resolvesOnlyToPublic('[::1]')).toBe(false);
    expect(await resolvesOnlyToPublic('8.8.8.8')).toBe(true);
  });
});
