import type { Command } from 'commander';
import { z } from 'zod';
import { LOCALES } from '../../identities/types.ts';
import { table } from '../format.ts';
import { print } from '../context.ts';

const sampleFlags = z.object({
  locale: z.enum(LOCALES),
  count: z.coerce.number().int().min(1).max(10_000),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).optional(),
});

export function registerIdentityCommands(program: Command): void {
  const identities = program.command('identities').description('the fake customers and complaints canaries are made of');
  identities
    .command('sample')
    .description('print canaries as they would be planted, planting nothing (same --seed, same output)')
    .requiredOption('--locale <locale>', LOCALES.join(' | '))
    .option('--count <n>', 'how many', '5')
    .option('--seed <n>', 'make the output repeatable')
    .option('--json', 'print JSON: an array of {persona, ticket}')
    .action(async (o) => {
      const flags = sampleFlags.parse(o);
      const { sampleIdentities } = await import('../../identities/index.ts');
      const list = sampleIdentities({ locale: flags.locale, count: flags.count, seed: flags.seed });
      print(o.json, list, () =>
        table(
          list.map(({ persona, ticket }) => ({
            name: persona.fullName, phone: persona.phone.national, account: persona.accountNumber,
            city: persona.address.city, category: ticket.category, created: ticket.createdAt,
          })),
          ['name', 'phone', 'account', 'city', 'category', 'created'],
        ));
    });
}
