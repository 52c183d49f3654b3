import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { OperatorLogin } from '../../services/operators/manage-operators.js';
import { show, USAGE } from './command.js';

type Work = (deps: import('../../services/context.js').Deps) => Promise<OperatorLogin>;

/**
 * Runs against the server's database itself (DATABASE_URL, or the embedded one in KEYLINE_DATA_DIR),
 * not over the API: these are how a vendor gets in when no operator can sign in. The server and
 * database modules load only here, as for `keyline migrate`.
 */
async function againstDatabase(cmd: Command, work: Work): Promise<void> {
  const [{ openConfiguredDatabase }, { migrateToLatest }, { systemClock }, { default: pino }, { AppError }] = await Promise.all([
    import('../../server.js'),
    import('../../data/migrate.js'),
    import('../../domain/clock.js'),
    import('pino'),
    import('../../domain/errors.js'),
  ]);
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    const login = await work({ db: database.db, relaxedDb: database.relaxed, clock: systemClock, config, log: pino({ level: 'silent' }) });
    show(cmd, login, () => `  email:    ${login.email}\n  password: ${login.password}`);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`${err.code}: ${err.message}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

async function chosenPassword(cmd: Command, given: string | undefined): Promise<string> {
  const password = given ?? process.env['KEYLINE_PASSWORD'];
  if (password !== undefined && (password.length < 8 || password.length > 200)) cmd.error('--password must be 8 to 200 characters', { exitCode: USAGE });
  return password ?? (await import('../../services/operators/manage-operators.js')).newOperatorPassword();
}

export function registerOperatorCommands(vendor: Command): void {
  const operators = vendor
    .command('operators')
    .description("vendor operators, on the server's machine against its database (DATABASE_URL or KEYLINE_DATA_DIR): the way in when no operator can sign in");

  operators
    .command('create')
    .description('add an operator; prints the password (a random one unless --password or KEYLINE_PASSWORD is given)')
    .requiredOption('--email <email>', 'their sign-in address')
    .option('--first-name <name>', 'first name', 'Vendor')
    .option('--last-name <name>', 'last name', 'Operator')
    .option('--password <password>', 'the password to set, 8 to 200 characters')
    .action(async (opts: { email: string; firstName: string; lastName: string; password?: string }, cmd: Command) => {
      const password = await chosenPassword(cmd, opts.password);
      const { createOperator } = await import('../../services/operators/manage-operators.js');
      await againstDatabase(cmd, (deps) => createOperator(deps, { email: opts.email.trim().toLowerCase(), firstName: opts.firstName, lastName: opts.lastName, password }));
    });

  operators
    .command('reset-password')
    .description("give an operator a new password (random unless --password or KEYLINE_PASSWORD is given); ends their sessions and lifts a sign-in lock")
    .requiredOption('--email <email>', 'the operator')
    .option('--password <password>', 'the password to set, 8 to 200 characters')
    .action(async (opts: { email: string; password?: string }, cmd: Command) => {
      const password = await chosenPassword(cmd, opts.password);
      const { resetOperatorPassword } = await import('../../services/operators/manage-operators.js');
      await againstDatabase(cmd, (deps) => resetOperatorPassword(deps, opts.email.trim().toLowerCase(), password));
    });
}
