import fs from 'node:fs/promises';
import type { Command } from 'commander';
import type { paths } from '../../../web/src/generated/api.js';
import { reply } from '../http-client.js';
import { run, show, USAGE } from './command.js';
import { connect } from './connection.js';
import { table } from './text.js';

type ProductDefinition = paths['/api/v1/vendor/products/{code}']['put']['requestBody']['content']['application/json'];

/** `keyline vendor products` and `product put`: the catalog. */
export function registerCatalogCommands(vendor: Command): void {
  vendor
    .command('products')
    .description('the product catalog with each licensing model and its parameters')
    .action(
      run(async (cmd) => {
        const { body } = await reply((await connect(cmd)).GET('/api/v1/vendor/products'));
        show(cmd, body, () =>
          table(
            ['CODE', 'NAME', 'MODEL', 'TYPES', 'CHECK-IN (H)', 'OVER QUOTA', 'TRIAL'],
            body.items.map((p) => [p.code, p.name, p.model, p.licenseTypes.join(',') || null, p.params.checkInMaxHours, p.params.overQuota, `${p.params.trialSeats} seats, ${p.params.trialDays} days`]),
          ),
        );
      }),
    );

  vendor
    .command('product')
    .description('manage catalog entries')
    .command('put')
    .description('add a product, or replace its definition, from a JSON file in the catalog format')
    .requiredOption('--file <file>', 'a product: {code, name, model, licenseTypes, params, supportUrl (optional)}')
    .action(
      run(async (cmd) => {
        const file = cmd.opts<{ file: string }>().file;
        // The file goes to the server as it is: the server checks the definition and names what is wrong.
        let definition: { code?: unknown } & ProductDefinition;
        try {
          definition = JSON.parse(await fs.readFile(file, 'utf8')) as typeof definition;
        } catch (err) {
          return cmd.error(`cannot read ${file}: ${(err as Error).message}`, { exitCode: USAGE });
        }
        const { code, ...rest } = definition;
        if (typeof code !== 'string' || code === '') return cmd.error(`${file} names no product code`, { exitCode: USAGE });
        const res = await reply((await connect(cmd)).PUT('/api/v1/vendor/products/{code}', { params: { path: { code } }, body: rest }));
        show(cmd, res.body, () => `Product ${code} ${res.status === 201 ? 'added to' : 'replaced in'} the catalog`);
      }),
    );
}
