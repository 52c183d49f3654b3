import { InvalidArgumentError, Option, type Command } from 'commander';
import { activate, checkIn, deactivate, EXIT, offlineApply, offlineRequest, runAgentCommand, status, trial, updateLicense, type AgentResult } from '../client/agent.js';

const DEFAULT_STATE = './keyline-agent.json';

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

interface Common {
  state: string;
  json?: boolean;
}

/** Prints a result as text (errors on stderr) or as one JSON object on stdout, and sets the exit code. */
function report(result: AgentResult, json: boolean | undefined) {
  const failed = 'error' in result.data;
  if (json) process.stdout.write(`${JSON.stringify({ ok: !failed, ...result.data })}\n`);
  else (failed ? process.stderr : process.stdout).write(`${result.lines.join('\n')}\n`);
  process.exitCode = result.exitCode;
}

const run = <O extends Common>(command: (opts: O) => Promise<AgentResult>) => async (opts: O) => report(await runAgentCommand(() => command(opts)), opts.json);

/**
 * `keyline agent ...`: the installation side of PROTOCOL.md, standing in for a licensed product.
 * Exit codes: 0 ok, 2 usage, 3 refused by the server or an offline file refused (the code is
 * printed), 4 server unreachable, 5 not activated or not licensed (certificate invalid or expired,
 * license expired).
 */
export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('act as a licensed product: activate, status, check-in, update-license, deactivate, offline files (exit codes: 0 ok, 2 usage, 3 refused, 4 unreachable, 5 unlicensed)');
  // Usage errors leave with their own exit code, and as JSON too when that was asked for.
  agent.exitOverride((err) => {
    if (err.exitCode !== 0 && process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'usage', message: err.message } })}\n`);
    }
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
  const command = (name: string, description: string) =>
    agent
      .command(name)
      .description(description)
      .option('--state <file>', 'the state file of this installation', DEFAULT_STATE)
      .option('--json', 'print one JSON object');

  command('activate', 'activate this machine with a license key, or with the activation code of an invitation to install')
    .requiredOption('--server <url>', 'the licensing server, e.g. http://127.0.0.1:8080')
    .requiredOption('--product <code>', 'the product code')
    .option('--key <licenseKey>', 'the license key')
    .option('--code <activationCode>', 'the temporary activation code from an invitation email (instead of --key)')
    .option('--license-type <type>', 'the license type, where the product has types')
    .option('--name <name>', 'a name for this installation (default: the host name)')
    .option('--fingerprint <id>', 'stand in for another machine: the fingerprint of a new state file')
    .action(run(activate));

  command('trial', "start this machine's trial of a product")
    .requiredOption('--server <url>', 'the licensing server')
    .requiredOption('--product <code>', 'the product code')
    .option('--name <name>', 'a name for this installation')
    .option('--fingerprint <id>', 'stand in for another machine: the fingerprint of a new state file')
    .action(run(trial));

  command('status', 'show the license (from the server, or with --offline from the stored certificate)')
    .option('--offline', 'verify the stored certificate with the stored public keys, no network', false)
    .action(run(status));

  command('check-in', 'report in and renew the certificate')
    .option('--peak <n>', 'usage report: peak since the last check-in', count)
    .option('--current <n>', 'usage report: current use', count)
    .option(
      '--vms <file>',
      'report the virtual machines of this host (replacing the last report): a JSON file holding an array of ' +
        '{ "uuid", "name", "guestOs", "state" (running|paused|suspended|stopped), "architecture" (x86_64|arm64|x86), "lastUsedAt" (ISO 8601) }; ' +
        'the server keeps them for products with a VM inventory and warns about each entry it refuses',
    )
    .action(run(checkIn));

  command('update-license', 'check in now so that a deactivation or move left pending in the portal takes effect at once').action(run(updateLicense));

  command('deactivate', 'deactivate this installation and free its seat').action(run(deactivate));

  command('offline-request', 'write an offline request file (no network) to upload in the portal')
    .addOption(new Option('--kind <kind>', 'what to ask for').choices(['activation', 'refresh', 'deactivation']).makeOptionMandatory())
    .option('--product <code>', 'the product code (activation)')
    .option('--key <licenseKey>', 'the license key (activation)')
    .option('--license-type <type>', 'the license type, where the product has types (activation)')
    .option('--out <file>', 'write the request to this file (default: print it)')
    .option('--name <name>', 'a name for this installation (default: the host name)')
    .option('--fingerprint <id>', 'stand in for another machine: the fingerprint of a new state file')
    .action(run(offlineRequest));

  command('offline-apply', 'apply an activation or refresh file from the portal, with no network')
    .argument('<file>', 'the file the portal gave back')
    .option('--jwks <file>', "the server's public keys (/.well-known/keyline/jwks.json) when this installation has none yet")
    .action((file: string, opts: Common & { jwks?: string }) => run(offlineApply)({ ...opts, file }));
}
