import { Option, type Command } from 'commander';
import type { paths } from '../../../web/src/generated/api.js';
import { reply, type Schemas } from '../http-client.js';
import { positiveInteger } from './arguments.js';
import { run, show } from './command.js';
import { connect } from './connection.js';
import { describeIssued } from './sales-commands.js';
import { day, products } from './text.js';

type PermanentRequest = paths['/api/v1/vendor/subscriptions/{id}/permanent']['post']['requestBody']['content']['application/json'];

function describeConversion(c: Schemas['Conversion']): string {
  const s = c.subscription;
  return [
    `Converted     ${s.id}: ${c.lines.map((l) => `${l.from} -> ${l.to}`).join(', ')}`,
    `Name          ${s.name}`,
    `Products      ${products(c.items)}`,
    `Installations ${c.installations} active, on the same keys; each gets the new edition at its next check-in`,
    `Profiles      ${c.profiles.moved.length} moved to the new edition, ${c.profiles.copied.length} copied`,
    ...c.trials.map((t) => `Trial         ${t.subscription.id} is ${t.subscription.status}; ${t.carriedOver.profiles} configuration profile(s) of the edition carry over, ${t.carriedOver.groups} user group(s) move to the converted subscription`),
  ].join('\n');
}

/** Editions: a trial of the upgrade beside a subscription, its conversion, and a trial made permanent. */
export function registerEditionCommands(vendor: Command): void {
  const path = (id: string) => ({ params: { path: { id } } });

  vendor
    .command('edition-trial')
    .description("start a trial of the edition a subscription's product upgrades to (Enterprise beside Business), in its account; prints the trial's key")
    .argument('<subscription>', 'the subscription the trial stands beside (id)')
    .option('--product <code>', 'the edition to try, when its products upgrade to several')
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const { product } = cmd.opts<{ product?: string }>();
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/subscriptions/{id}/edition-trial', { ...path(id), body: { product } }));
        show(cmd, body, () => describeIssued(body));
      }),
    );

  vendor
    .command('convert')
    .description('convert a subscription to its upgrade edition (Business to Enterprise): same keys, installations stay activated; the trial of it is suspended')
    .argument('<subscription>', 'subscription id')
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/subscriptions/{id}/conversion', path(id)));
        show(cmd, body, () => describeConversion(body));
      }),
    );

  vendor
    .command('make-permanent')
    .description('make a trial a normal subscription on these terms, from today; what it was beside stays as it is')
    .argument('<subscription>', 'the trial subscription (id)')
    .requiredOption('--quantity <n>', "seats of the trial's product", positiveInteger)
    .addOption(new Option('--duration <duration>', 'the term, from today').choices(['1m', '1y', '2y', '3y']).makeOptionMandatory())
    .addOption(new Option('--channel <channel>', 'how it is sold').choices(['online', 'reseller']).makeOptionMandatory())
    .addOption(new Option('--plan <plan>', "the support plan (default: the trial's)").choices(['standard', 'premium']))
    .action(
      run(async (cmd) => {
        const [id] = cmd.processedArgs as [string];
        const o = cmd.opts<{ quantity: number; duration: PermanentRequest['duration']; channel: PermanentRequest['channel']; plan?: PermanentRequest['supportPlan'] }>();
        const terms: PermanentRequest = { quantity: o.quantity, duration: o.duration, channel: o.channel, supportPlan: o.plan };
        const { body } = await reply((await connect(cmd)).POST('/api/v1/vendor/subscriptions/{id}/permanent', { ...path(id), body: terms }));
        show(cmd, body, () => `Subscription ${body.subscription.id} is a ${body.subscription.channel} subscription now: ${products(body.items)}, until ${day(body.subscription.expiresAt)}, order #${body.order.number}\nName          ${body.subscription.name}`);
      }),
    );
}
