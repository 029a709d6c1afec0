// One alert, in the format each receiving product documents. The Block Kit and Discord bodies are
// typed with the products' own type packages (@slack/types, discord-api-types), so a misspelt or
// misplaced field fails the type check; the tests hold every body to the documented shape.
// Everything the traced side wrote (caller name, number, channel names) is escaped per medium.
import type { KnownBlock } from '@slack/types';
import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { Alert } from './types.ts';

const SEVERITY_COLOUR: Record<string, number> = { critical: 0xb00020, high: 0xe8590c, medium: 0xf2c94c, low: 0x2f80ed, info: 0x828282 };
const title = (a: Alert) => (a.test ? 'canary-tracer test alert' : a.digest ? 'canary-tracer digest' : `canary-tracer: ${a.event}`);

/** The generic webhook's JSON: the contract's fields, stable names. */
export function webhookBody(a: Alert): Record<string, unknown> {
  return {
    id: a.id, event: a.event, severity: a.severity, occurredAt: a.occurredAt, summary: a.summary,
    channel: a.channel, channels: a.channels, canaryNumberLast4: a.canaryNumberLast4, caller: a.caller,
    verdict: a.verdict, url: a.url, hitId: a.hitId, digest: a.digest, test: a.test ?? false,
    ...(a.checkpoint ? { checkpoint: a.checkpoint } : {}),
  };
}

/** Slack mrkdwn: &, < and > must be escaped, or `<!channel>` in a caller name pings everyone. */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(a: Alert): { text: string; blocks: KnownBlock[] } {
  const fields = [
    a.channel && `*Channel*\n${slackEscape(a.channel)}`,
    a.verdict && `*Verdict now*\n${slackEscape(a.verdict)}`,
    a.caller && `*Caller*\n${slackEscape(a.caller.number)}${a.caller.name ? ` (${slackEscape(a.caller.name)})` : ''}`,
    a.canaryNumberLast4 && `*Canary number*\n…${slackEscape(a.canaryNumberLast4)}`,
  ].filter((f): f is string => Boolean(f)).map((text) => ({ type: 'mrkdwn' as const, text: text.slice(0, 2000) }));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title(a).slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(a.summary).slice(0, 3000) }, ...(fields.length ? { fields } : {}) },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${a.severity} · ${a.occurredAt}` }] },
  ];
  if (a.url) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in the tracer' }, url: a.url, action_id: 'open-in-tracer' }] });
  }
  return { text: a.summary.slice(0, 3000), blocks };
}

/** A Teams Workflows webhook ("When a Teams webhook request is received"): a message carrying one Adaptive Card. */
export function teamsMessage(a: Alert): Record<string, unknown> {
  const facts = [
    a.channel && { title: 'Channel', value: a.channel },
    a.verdict && { title: 'Verdict now', value: a.verdict },
    a.caller && { title: 'Caller', value: a.caller.name ? `${a.caller.number} (${a.caller.name})` : a.caller.number },
    a.canaryNumberLast4 && { title: 'Canary number', value: `…${a.canaryNumberLast4}` },
    { title: 'Severity', value: a.severity },
    { title: 'When', value: a.occurredAt },
  ].filter(Boolean) as Array<{ title: string; value: string }>;
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: teamsEscape(title(a)), weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: teamsEscape(a.summary), wrap: true },
      { type: 'FactSet', facts: facts.map((f) => ({ title: f.title, value: teamsEscape(f.value) })) },
    ],
    ...(a.url ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in the tracer', url: a.url }] } : {}),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/** Adaptive Card TextBlocks render a Markdown subset: escape its markers so a name stays a name. */
export const teamsEscape = (s: string) => s.replace(/([\\`*_[\]~])/g, '\\$1');

/** Discord markdown escaped; allowed_mentions empty, so "@everyone" in a caller name pings nobody. */
export const discordEscape = (s: string) => s.replace(/([\\`*_~|>#[\]])/g, '\\$1').replace(/@/g, '@\u200b');

export function discordMessage(a: Alert): RESTPostAPIWebhookWithTokenJSONBody {
  const fields = [
    a.channel && { name: 'Channel', value: discordEscape(a.channel), inline: true },
    a.verdict && { name: 'Verdict now', value: discordEscape(a.verdict), inline: true },
    a.caller && { name: 'Caller', value: discordEscape(a.caller.name ? `${a.caller.number} (${a.caller.name})` : a.caller.number), inline: true },
  ].filter(Boolean) as Array<{ name: string; value: string; inline: boolean }>;
  return {
    content: discordEscape(a.summary).slice(0, 2000),
    allowed_mentions: { parse: [] },
    embeds: [{
      title: title(a).slice(0, 256), description: discordEscape(a.summary).slice(0, 4096), ...(a.url ? { url: a.url } : {}),
      color: SEVERITY_COLOUR[a.severity], timestamp: a.occurredAt, fields: fields.map((f) => ({ ...f, value: f.value.slice(0, 1024) })),
    }],
  };
}

/** Google Chat: card text is an HTML subset, so hostile strings are HTML-escaped. */
const htmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function googleChatMessage(a: Alert): Record<string, unknown> {
  const lines = [
    a.channel && `<b>Channel</b>: ${htmlEscape(a.channel)}`,
    a.verdict && `<b>Verdict now</b>: ${htmlEscape(a.verdict)}`,
    a.caller && `<b>Caller</b>: ${htmlEscape(a.caller.name ? `${a.caller.number} (${a.caller.name})` : a.caller.number)}`,
  ].filter(Boolean);
  const widgets: unknown[] = [{ textParagraph: { text: htmlEscape(a.summary) } }];
  if (lines.length) widgets.push({ textParagraph: { text: lines.join('<br>') } });
  if (a.url) widgets.push({ buttonList: { buttons: [{ text: 'Open in the tracer', onClick: { openLink: { url: a.url } } }] } });
  return {
    // The plain text is what notifications show; `<` and `>` would start Chat's <users/all> mentions.
    text: a.summary.replace(/[<>]/g, ''),
    cardsV2: [{ cardId: `alert-${a.id}`, card: { header: { title: title(a), subtitle: `${a.severity} · ${a.occurredAt}` }, sections: [{ widgets }] } }],
  };
}

/** An SMS: the one line, the verdict and the link, within two segments where it can. */
export function smsText(a: Alert): string {
  const parts = [a.summary, a.verdict ? `Verdict: ${a.verdict}` : null, a.url].filter(Boolean);
  return parts.join('\n').slice(0, 600);
}
