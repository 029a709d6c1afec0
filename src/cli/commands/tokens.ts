import type { Command } from 'commander';
import { z } from 'zod';
import { ROLES, type RegistryRead } from '../../access/tokens.ts';
import { table } from '../format.ts';
import { flags, instantFlag, print, withStore } from '../context.ts';
import { listFlags, listFlagSchema, writeList, type ListSpec } from '../output.ts';
import { listOptions } from './hits.ts';

const auditSchema = z.strictObject({ actor: z.string().min(1).max(200).optional(), since: instantFlag.optional(), ...listFlagSchema });

const readList: ListSpec<RegistryRead> = {
  name: 'reads',
  columns: ['at', 'actor', 'role', 'action', 'subject'],
  // A campaign's create names every canary: the table shows the start and a count (json/csv have it whole).
  row: (r) => ({ ...r, subject: r.subject.length > 60 ? `${r.subject.slice(0, 40)}… (${r.subject.split(',').length} ids)` : r.subject }),
  present: (r) => r,
};

export function registerTokenCommands(program: Command): void {
  listOptions(program
    .command('audit')
    .description('who read the canary registry, newest first (admin)')
    .option('--actor <id>', 'only this token id or cli:<user>')
    .option('--since <iso>', 'at or after (ISO 8601 with offset)'))
    .action(async (opts) => {
      const o = flags(auditSchema, opts);
      await withStore('tokens:manage', ({ audit }) =>
        writeList(listFlags(o), readList, (cursor, limit) => audit.page({ actor: o.actor, since: o.since }, { cursor, limit })));
    });

  const token = program.command('token').description('API tokens (admin, seeder, investigator); TRACER_TOKEN makes the CLI act as one');
  token
    .command('create')
    .description('create an API token; it is printed once and stored only as a hash')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--label <label>', 'who or what holds it', '')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const o = flags(z.strictObject({ role: z.enum(ROLES), label: z.string().max(200), json: z.boolean().optional() }), opts);
      await withStore('tokens:manage', ({ tokens }) => {
        const t = tokens.create({ role: o.role, label: o.label });
        print(Boolean(o.json), { token: t.token, id: t.id, role: t.role }, () => `${t.token}\n(role ${t.role}, id ${t.id}; shown once)`);
      });
    });
  token
    .command('list')
    .description('list tokens with their last use (never their values)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withStore('tokens:manage', ({ tokens }) => {
        const list = tokens.list();
        print(o.json, { tokens: list }, () => table(list.map((t) => ({ ...t })), ['id', 'role', 'label', 'createdAt', 'lastUsedAt', 'revokedAt']));
      });
    });
  token
    .command('revoke <id>')
    .description('revoke a token: it stops working at once')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      await withStore('tokens:manage', ({ tokens }) => {
        const t = tokens.revoke(id);
        print(o.json, t, () => `revoked ${t.id} (role ${t.role}${t.label ? `, ${t.label}` : ''})`);
      });
    });
}
