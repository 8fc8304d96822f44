import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('integration settings in the configuration', () => {
  it('refuses private webhook targets, retries on the default schedule and sends no email by default', () => {
    const config = loadConfig({});
    expect(config.integrations).toEqual({
      allowPrivateTargets: false,
      retryScheduleMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      smtp: undefined,
      githubApiUrl: 'https://api.github.com',
    });
  });

  it('reads the allow flag, a retry schedule in units and the SMTP server', () => {
    const config = loadConfig({
      MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      MISSION_WEBHOOKS_RETRY_SCHEDULE: '10s, 2m,1h,1d',
      MISSION_SMTP_URL: 'smtp://mailer:secret@mail.example.com:587',
      MISSION_SMTP_FROM: 'Ops <ops@example.com>',
    });
    expect(config.integrations).toEqual({
      allowPrivateTargets: true,
      retryScheduleMs: [10_000, 120_000, 3_600_000, 86_400_000],
      smtp: { url: 'smtp://mailer:secret@mail.example.com:587', from: 'Ops <ops@example.com>' },
      githubApiUrl: 'https://api.github.com',
    });
  });

  it('points the GitHub integration at MISSION_GITHUB_API_URL, without a trailing slash, and refuses a non-URL', () => {
    expect(loadConfig({ MISSION_GITHUB_API_URL: 'https://github.example.com/api/v3/' }).integrations.githubApiUrl).toBe(
      'https://github.example.com/api/v3',
    );
    expect(() => loadConfig({ MISSION_GITHUB_API_URL: 'github.example.com' })).toThrow('MISSION_GITHUB_API_URL');
  });

  it('names the variable when the schedule or the SMTP URL is malformed', () => {
    expect(() => loadConfig({ MISSION_WEBHOOKS_RETRY_SCHEDULE: '5 seconds' })).toThrow(ConfigError);
    expect(() => loadConfig({ MISSION_WEBHOOKS_RETRY_SCHEDULE: '5 seconds' })).toThrow('MISSION_WEBHOOKS_RETRY_SCHEDULE');
    expect(() => loadConfig({ MISSION_SMTP_URL: 'mail.example.com' })).toThrow('MISSION_SMTP_URL');
  });
});
