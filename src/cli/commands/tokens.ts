import type { Command } from 'commander';
import { ROLES } from '../../access/tokens.ts';
import { table } from '../format.ts';
import { print, withApp } from '../context.ts';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens (admin, seeder, investigator)');
  token
    .command('create')
    .description('create an API token; it is printed once and stored only as a hash')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--label <label>', 'who or what holds it', '')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const t = services.tokens.create({ role: o.role, label: o.label });
        print(o.json, { token: t.token, id: t.id, role: t.role }, () => `${t.token}\n(role ${t.role}, id ${t.id}; shown once)`);
      });
    });
  token
    .command('list')
    .description('list tokens (never their values)')
    .option('--json', 'print JSON')
    .action(async (o) => {
      await withApp(({ services }) => {
        const list = services.tokens.list();
        print(o.json, { tokens: list }, () => table(list, ['id', 'role', 'label', 'createdAt', 'revokedAt']));
      });
    });
  token
    .command('revoke <id>')
    .description('revoke a token')
    .action(async (id: string) => {
      await withApp(({ services }) => {
        services.tokens.revoke(id);
        process.stdout.write(`revoked ${id}\n`);
      });
    });
}
