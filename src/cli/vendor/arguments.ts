import { InvalidArgumentError } from 'commander';

// The vendor commands' own argument formats.

/** `P=QTY`, `P:TYPE=QTY`, or with `needsQuantity` false also `P` and `P:TYPE`. */
export function productLine(needsQuantity: boolean) {
  return (text: string) => {
    const m = /^([a-z0-9][a-z0-9-]*)(?::([a-z][a-z0-9_]*))?(?:=(\d+))?$/.exec(text);
    if (!m || (needsQuantity && m[3] === undefined)) throw new InvalidArgumentError(`expected PRODUCT[:TYPE]${needsQuantity ? '=QUANTITY' : ''}, got "${text}"`);
    return { productCode: m[1]!, licenseType: m[2] ?? null, quantity: m[3] === undefined ? undefined : Number(m[3]) };
  };
}
export type Line = ReturnType<ReturnType<typeof productLine>>;
export const collect = (parse: (text: string) => Line) => (text: string, previous: Line[] = []) => [...previous, parse(text)];

export function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${text}"`);
  return Number(text);
}
