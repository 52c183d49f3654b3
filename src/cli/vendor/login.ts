import os from 'node:os';
import readline from 'node:readline';
import type { Command } from 'commander';
import { apiClient, ApiError, reply } from '../http-client.js';
import { globals, run, show, USAGE } from './command.js';
import { writeStored } from './connection.js';

/** Reads a password without echoing it when typing at a terminal; a piped one is read as the first line. */
async function askPassword(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = readline.createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (c === '\u0003') {
          stdin.setRawMode(false);
          reject(new ApiError(null, 'cancelled', 'no password given'));
          return;
        }
        typed = c === '\u007f' ? typed.slice(0, -1) : typed + c;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** Signs in with the password, creates an API token for this machine and signs the session out again. */
async function login(cmd: Command): Promise<void> {
  const g = globals(cmd);
  const o = cmd.opts<{ email: string; password?: string }>();
  const server = g.server ?? process.env['KEYLINE_URL'];
  if (!server) return cmd.error('login needs --server URL (or KEYLINE_URL)', { exitCode: USAGE });
  const password = o.password ?? process.env['KEYLINE_PASSWORD'] ?? (await askPassword(`Password for ${o.email}: `));
  const api = apiClient(server);
  const signedIn = await reply(api.POST('/api/v1/sessions', { body: { email: o.email, password } }));
  const session = {
    cookie: signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': signedIn.body.csrfToken,
  };
  try {
    if (!signedIn.body.user.isOperator) throw new ApiError(403, 'operator_only', `${o.email} is not a vendor operator`);
    const created = await reply(api.POST('/api/v1/me/api-tokens', { body: { name: `keyline vendor on ${os.hostname()}`.slice(0, 100) }, headers: session }));
    await writeStored(g.config, { server, token: created.body.token });
  } finally {
    await reply(api.DELETE('/api/v1/sessions/current', { headers: session }));
  }
  show(cmd, { server, email: signedIn.body.user.email, config: g.config }, () => `Signed in to ${server} as ${signedIn.body.user.email}; the API token is stored in ${g.config}`);
}

/** `keyline vendor login`: stores an API token, so later commands need no flags. */
export function registerLoginCommand(vendor: Command): void {
  vendor
    .command('login')
    .description('sign in as an operator and store an API token, so later commands need no flags')
    .requiredOption('--email <email>', 'the operator login')
    .option('--password <password>', 'the password (KEYLINE_PASSWORD); asked for when not given')
    .action(run(login));
}
