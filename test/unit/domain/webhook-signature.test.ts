import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookHeaders, webhookSignature } from '../../../src/domain/webhook-signature.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

describe('the Standard Webhooks signature', () => {
  it('matches the convention’s published example', () => {
    // The example of the Standard Webhooks specification (and of its reference libraries' tests).
    const body = '{"test": 2432232314}';
    expect(webhookSignature(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies with the standardwebhooks library, and fails with a changed body, id or secret', () => {
    const now = new Date();
    const body = JSON.stringify({ type: 'installation.activated', timestamp: now.toISOString(), data: { installationId: 'i' } });
    const headers = webhookHeaders([SECRET], 'msg_1', now, body);
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    expect(() => new Webhook(OTHER).verify(body, headers)).toThrow();
  });

  it('carries one signature per secret, so a receiver with either secret verifies after a rotation', () => {
    const now = new Date();
    const body = '{"type":"webhook.test"}';
    const headers = webhookHeaders([OTHER, SECRET], 'msg_1', now, body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ type: 'webhook.test' });
    expect(new Webhook(OTHER).verify(body, headers)).toEqual({ type: 'webhook.test' });
  });

  it('refuses a secret without its prefix', () => {
    expect(() => webhookSignature('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1, '{}')).toThrow(/whsec_/);
  });
});
