import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WebhookEventType } from '../../src/notifications/webhooks/webhook.enums';

/** The guide's table of webhook events names every type an endpoint can receive. */
describe('the webhook events guide', () => {
  const guide = readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'webhooks-and-thresholds.md'), 'utf8');
  const table = guide.slice(guide.indexOf('## Events'), guide.indexOf('## What a delivery looks like'));

  it.each(Object.values(WebhookEventType))('lists %s in its Events table', (type) => {
    expect(table).toMatch(new RegExp('^\\|[^|]*`' + type + '`', 'm'));
  });
});
