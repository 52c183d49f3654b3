import { InvalidArgumentError, type Command } from 'commander';
import { activate, checkIn, deactivate, EXIT, runAgentCommand, status, trial, updateLicense, type AgentResult } from '../client/agent.js';

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
 * Exit codes: 0 ok, 2 usage, 3 refused by the server (the code is printed), 4 server unreachable,
 * 5 not activated or not licensed (certificate invalid or expired, license expired).
 */
export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('act as a licensed product: activate, status, check-in, update-license, deactivate (exit codes: 0 ok, 2 usage, 3 refused, 4 unreachable, 5 unlicensed)');
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

  command('activate', 'activate this machine with a license key')
    .requiredOption('--server <url>', 'the licensing server, e.g. http://127.0.0.1:8080')
    .requiredOption('--product <code>', 'the product code')
    .requiredOption('--key <licenseKey>', 'the license key')
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
    .action(run(checkIn));

  command('update-license', 'check in now so that a deactivation or move left pending in the portal takes effect at once').action(run(updateLicense));

  command('deactivate', 'deactivate this installation and free its seat').action(run(deactivate));
}
