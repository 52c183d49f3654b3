import { keyLabel, type KeyChoice } from './key-data';

/**
 * The options of every key picker, each named by keyLabel; keys of several subscriptions are
 * grouped under their subscription's name, since additional keys' names rarely say it.
 */
export function KeyOptions({ keys }: { keys: readonly KeyChoice[] }) {
  const options = (of: readonly KeyChoice[]) =>
    of.map((k) => (
      // The primary key serves each product of its subscription, so its id alone can repeat.
      <option key={`${k.id}:${k.productCode}`} value={k.id}>
        {keyLabel(k)}
      </option>
    ));
  const subscriptions = new Map<string, KeyChoice[]>();
  for (const k of keys) subscriptions.set(k.subscriptionId, [...(subscriptions.get(k.subscriptionId) ?? []), k]);
  if (subscriptions.size < 2) return options(keys);
  return [...subscriptions].map(([id, of]) => (
    <optgroup key={id} label={of[0]!.subscriptionName}>
      {options(of)}
    </optgroup>
  ));
}
