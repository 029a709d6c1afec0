import type { Command } from 'commander';
import { z } from 'zod';
import { ROLES } from '../../access/tokens.ts';
import { table } from '../format.ts';
import { flags, print, withStore } from '../context.ts';

export function registerTokenCommands(program: Command): void {
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
