// Each output's body held to the shape its product documents: Slack Block Kit (docs.slack.dev,
// block reference: header, section, context, actions/button, with their length limits), Teams
// Workflows ("Post card in a chat or channel": a message whose attachment is an Adaptive Card 1.4),
// Discord's Execute Webhook (content, embeds, allowed_mentions, with its limits) and Google Chat's
// message with cardsV2. The schemas are strict: a field the product does not document fails.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clean, hitAlert, type HitFacts } from '../../src/alerts/compose.ts';
import { discordMessage, googleChatMessage, slackMessage, smsText, teamsMessage, webhookBody } from '../../src/alerts/formats.ts';

const HOSTILE = '<!channel> *Nadir* @everyone <users/all> [x](http://evil) </td><script>alert(1)</script>\u202eevil\n';

const facts: HitFacts = {
  hitId: 'hit_1', kind: 'call', from: '+966512345678', to: '+966593301234', callerName: HOSTILE, receivedAt: '2026-11-28T09:11:00.000Z',
  canaryId: 'cn_1', classification: 'after-planting', firstPlantedAt: '2026-11-28T09:00:00.000Z', channels: [{ id: 'ch_1', name: 'CRM export' }],
};
const alert = hitAlert('al_1', facts, new Map([['ch_1', 'leaking']]), 'https://tracer.example.org', 'high');

const plainText = (max: number) => z.strictObject({ type: z.literal('plain_text'), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const mrkdwn = (max: number) => z.strictObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max), verbatim: z.boolean().optional() });
const slackSchema = z.strictObject({
  text: z.string().min(1),
  blocks: z.array(z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('header'), text: plainText(150), block_id: z.string().max(255).optional() }),
    z.strictObject({ type: z.literal('section'), text: z.union([mrkdwn(3000), plainText(3000)]).optional(), fields: z.array(mrkdwn(2000)).max(10).optional() })
      .refine((s) => s.text || s.fields, 'a section needs text or fields'),
    z.strictObject({ type: z.literal('context'), elements: z.array(z.union([mrkdwn(3000), plainText(3000)])).min(1).max(10) }),
    z.strictObject({
      type: z.literal('actions'),
      elements: z.array(z.strictObject({ type: z.literal('button'), text: plainText(75), action_id: z.string().max(255), url: z.url().max(3000).optional() })).max(25),
    }),
  ])).max(50),
});

const teamsSchema = z.strictObject({
  type: z.literal('message'),
  attachments: z.array(z.strictObject({
    contentType: z.literal('application/vnd.microsoft.card.adaptive'),
    contentUrl: z.null(),
    content: z.strictObject({
      $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
      type: z.literal('AdaptiveCard'),
      version: z.string().regex(/^1\.[0-4]$/, 'Teams Workflows render Adaptive Cards up to 1.4'),
      body: z.array(z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('TextBlock'), text: z.string(), wrap: z.boolean().optional(),
          weight: z.enum(['Default', 'Lighter', 'Bolder']).optional(), size: z.enum(['Default', 'Small', 'Medium', 'Large', 'ExtraLarge']).optional() }),
        z.strictObject({ type: z.literal('FactSet'), facts: z.array(z.strictObject({ title: z.string(), value: z.string() })).min(1) }),
      ])).min(1),
      actions: z.array(z.strictObject({ type: z.literal('Action.OpenUrl'), title: z.string(), url: z.url() })).optional(),
    }),
  })).length(1),
});

const discordSchema = z.strictObject({
  content: z.string().max(2000),
  allowed_mentions: z.strictObject({ parse: z.array(z.enum(['roles', 'users', 'everyone'])).length(0) }),
  embeds: z.array(z.strictObject({
    title: z.string().max(256), description: z.string().max(4096), url: z.url().optional(), color: z.number().int().min(0).max(0xffffff),
    timestamp: z.iso.datetime(), fields: z.array(z.strictObject({ name: z.string().max(256), value: z.string().min(1).max(1024), inline: z.boolean() })).max(25),
  })).max(10),
});

const googleChatSchema = z.strictObject({
  text: z.string().max(4096),
  cardsV2: z.array(z.strictObject({
    cardId: z.string(),
    card: z.strictObject({
      header: z.strictObject({ title: z.string(), subtitle: z.string().optional() }),
      sections: z.array(z.strictObject({ widgets: z.array(z.union([
        z.strictObject({ textParagraph: z.strictObject({ text: z.string() }) }),
        z.strictObject({ buttonList: z.strictObject({ buttons: z.array(z.strictObject({ text: z.string(), onClick: z.strictObject({ openLink: z.strictObject({ url: z.url() }) }) })) }) }),
      ])) })),
    }),
  })),
});

describe('alert formats', () => {
  it('when a hit is alerted, then the one line says channel, caller and minutes after planting, cleaned of control and direction characters', () => {
    expect(alert.summary).toBe(`Canary in channel CRM export called by +966512345678 (${clean(HOSTILE)}) 11 min after planting`);
    expect(alert.summary).not.toMatch(/[\n\u202e]/);
    expect(alert.caller!.name!.length).toBeLessThanOrEqual(80);
  });

  it('when the webhook body is built, then it has the contract\'s fields', () => {
    expect(webhookBody(alert)).toMatchObject({
      event: 'hit-stored', occurredAt: facts.receivedAt, channel: 'CRM export', canaryNumberLast4: '1234',
      caller: { number: '+966512345678', name: expect.any(String) }, verdict: 'leaking', url: 'https://tracer.example.org/hits/hit_1',
    });
  });

  it('when a Slack message is built, then it is valid Block Kit and mrkdwn control sequences from the caller are escaped', () => {
    const msg = slackMessage(alert);
    expect(slackSchema.safeParse(msg).error?.issues).toBeUndefined();
    const json = JSON.stringify(msg.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('when a Teams message is built, then it is a Workflows message carrying an Adaptive Card with an Open URL action', () => {
    const msg = teamsMessage(alert);
    expect(teamsSchema.safeParse(msg).error?.issues).toBeUndefined();
    expect(JSON.stringify(msg)).toContain('\\\\[x\\\\](http://evil)');
  });

  it('when a Discord message is built, then it fits the Execute Webhook limits and mentions nobody', () => {
    const msg = discordMessage(alert);
    expect(discordSchema.safeParse(msg).error?.issues).toBeUndefined();
    expect(msg.content).not.toMatch(/@everyone/);
  });

  it('when a Google Chat message is built, then it is a cardsV2 message with the caller HTML-escaped and no mention syntax in the text', () => {
    const msg = googleChatMessage(alert);
    expect(googleChatSchema.safeParse(msg).error?.issues).toBeUndefined();
    expect(JSON.stringify(msg)).not.toContain('<script>');
    expect((msg.text as string)).not.toContain('<users/all>');
  });

  it('when an SMS is built, then it carries the line, the verdict and the link in a few segments', () => {
    const text = smsText(alert);
    expect(text).toContain('Verdict: leaking');
    expect(text).toContain('https://tracer.example.org/hits/hit_1');
    expect(text.length).toBeLessThanOrEqual(600);
  });
});
