import type { Command } from 'commander';
import { registerCatalogCommands } from './vendor/catalog-commands.js';
import { USAGE } from './vendor/command.js';
import { registerEditionCommands } from './vendor/edition-commands.js';
import { DEFAULT_CONFIG } from './vendor/connection.js';
import { registerLoginCommand } from './vendor/login.js';
import { registerLookupCommands } from './vendor/lookup-commands.js';
import { registerOperatorCommands } from './vendor/operators.js';
import { registerSalesCommands } from './vendor/sales-commands.js';

/**
 * `keyline vendor ...`: the vendor back office from a terminal, over the HTTP API with an
 * operator's API token. Exit codes: 0 done, 1 the API refused (the line printed is "code:
 * message"), 2 the command itself was wrong.
 */
export function registerVendorCommands(program: Command): void {
  const vendor = program
    .command('vendor')
    .description('the vendor back office: catalog, orders, trials, renewals, suspensions, editions, offline activation, search (operators only)')
    .option('--server <url>', 'Keyline server URL (KEYLINE_URL)')
    .option('--token <token>', 'an operator API token (KEYLINE_TOKEN)')
    .option('--config <file>', 'where `vendor login` keeps the server and token', DEFAULT_CONFIG)
    .option('--json', 'print the API answer as JSON')
    // Settings given before the subcommands are added are inherited by them: every usage error exits 2.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE));

  registerLoginCommand(vendor);
  registerCatalogCommands(vendor);
  registerSalesCommands(vendor);
  registerEditionCommands(vendor);
  registerLookupCommands(vendor);
  registerOperatorCommands(vendor);
}
