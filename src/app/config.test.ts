import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      DATA_DIR: './data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SMS_ENCODING: 'gsm7',
      POPULATION_REGISTRY: 'file:data/population-sample.csv',
      CONVERSATION_TTL_SECONDS: 1800,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ADMIN_TOKEN).toBeUndefined();
  });

  it('lists every bad variable in one error', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        PUBLIC_BASE_URL: 'not a url',
        DATA_ENCRYPTION_KEY: 'c2hvcnQ=',
        TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
        POPULATION_REGISTRY: 'ftp://registry',
      });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(names).toEqual(
        expect.arrayContaining([
          'PORT',
          'PUBLIC_BASE_URL',
          'DATA_ENCRYPTION_KEY',
          'TWILIO_AUTH_TOKEN',
          'TWILIO_FROM',
          'POPULATION_REGISTRY',
        ]),
      );
    }
  });

  it('requires an encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATA_ENCRYPTION_KEY: is required in production/,
    );
  });

  it('strips a trailing slash from the public base URL', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://dcs.example.vn/' }).PUBLIC_BASE_URL).toBe(
      'https://dcs.example.vn',
    );
  });
});
