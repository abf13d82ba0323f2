import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, credentialHint, isPublicAddress, testIntegrationInput, twilioCredentials } from './integrations.ts';

const prod = { allowLocal: false };
const problem = (kind: 'slack' | 'teams', url: string, opts = prod) => {
  const r = checkWebhookUrl(kind, url, opts);
  return r.ok ? null : r.problem;
};

describe('webhook URLs in production', () => {
  it('accepts the providers’ own https hosts', () => {
    expect(problem('slack', 'https://hooks.slack.com/services/T000/B000/XXXX')).toBeNull();
    expect(problem('teams', 'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456')).toBeNull();
    expect(problem('teams', 'https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x')).toBeNull();
    expect(
      problem(
        'teams',
        'https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/x/triggers/manual',
      ),
    ).toBeNull();
    expect(problem('slack', 'https://HOOKS.SLACK.COM/services/x')).toBeNull();
  });

  it('refuses http, other hosts, look-alikes, ports and user info', () => {
    expect(problem('slack', 'http://hooks.slack.com/services/x')).toBe('not_https');
    expect(problem('slack', 'https://hooks.slack.com.evil.test/services/x')).toBe('wrong_host');
    expect(problem('slack', 'https://evilhooks.slack.com/services/x')).toBe('wrong_host');
    expect(problem('slack', 'https://contoso.webhook.office.com/x')).toBe('wrong_host');
    expect(problem('teams', 'https://hooks.slack.com/services/x')).toBe('wrong_host');
    expect(problem('teams', 'https://webhook.office.com/x')).toBe('wrong_host');
    expect(problem('teams', 'https://x.webhook.office.com.evil.test/x')).toBe('wrong_host');
    expect(problem('teams', 'https://evilwebhook.office.com/x')).toBe('wrong_host');
    expect(problem('teams', 'https://make.powerplatform.com/x')).toBe('wrong_host');
    expect(problem('teams', 'https://environment.api.powerplatform.com/x')).toBe('wrong_host');
    expect(problem('slack', 'https://127.0.0.1/services/x')).toBe('wrong_host');
    expect(problem('slack', 'https://[::1]/services/x')).toBe('wrong_host');
    expect(problem('slack', 'https://hooks.slack.com:8443/services/x')).toBe('wrong_port');
    expect(problem('slack', 'https://user:pw@hooks.slack.com/services/x')).toBe('credentials_in_url');
    expect(problem('slack', 'file:///etc/passwd')).toBe('invalid_url');
    expect(problem('slack', 'gopher://hooks.slack.com/x')).toBe('invalid_url');
    expect(problem('slack', 'not a url')).toBe('invalid_url');
  });

  it('with local webhooks allowed (development, tests), takes http and any host, still no user info', () => {
    const local = { allowLocal: true };
    expect(problem('slack', 'http://127.0.0.1:4321/hook', local)).toBeNull();
    expect(problem('teams', 'http://localhost:9/x', local)).toBeNull();
    expect(problem('slack', 'ftp://127.0.0.1/x', local)).toBe('invalid_url');
    expect(problem('slack', 'http://a:b@127.0.0.1/x', local)).toBe('credentials_in_url');
  });
});

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '::',
    '::1',
    '[::1]',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2001:db8::1',
    'not-an-ip',
    '999.1.1.1',
    '1.2.3',
    '1:2:3',
  ])('%s is not public', (ip) => expect(isPublicAddress(ip)).toBe(false));

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2a00:1450::1',
  ])('%s is public', (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe('credentials', () => {
  const valid = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32), from: '+15551234567' };
  it('Twilio needs a real-looking SID, token and sender', () => {
    expect(twilioCredentials.safeParse(valid).success).toBe(true);
    expect(twilioCredentials.safeParse({ ...valid, from: `MG${'c'.repeat(32)}` }).success).toBe(true);
    expect(twilioCredentials.safeParse({ ...valid, accountSid: 'AC123' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ ...valid, authToken: 'short' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ ...valid, from: '5551234567' }).success).toBe(false);
    expect(twilioCredentials.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });

  it('the hint is the last 4 characters of the account SID or the URL, never the token', () => {
    expect(credentialHint('twilio', { ...valid, accountSid: `AC${'a'.repeat(28)}1234` })).toBe('1234');
    expect(credentialHint('slack', { webhookUrl: 'https://hooks.slack.com/services/T/B/abcdWXYZ' })).toBe('WXYZ');
  });

  it('a test SMS goes to an E.164 number', () => {
    expect(testIntegrationInput.safeParse({ to: '+442071234567' }).success).toBe(true);
    expect(testIntegrationInput.safeParse({}).success).toBe(true);
    expect(testIntegrationInput.safeParse({ to: '020 7123 4567' }).success).toBe(false);
  });
});
