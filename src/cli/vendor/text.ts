// The plain-text rendering of the vendor commands' answers.

export function table(header: string[], rows: (string | number | boolean | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export const day = (iso: string) => iso.slice(0, 10);
export const products = (items: { productCode: string; licenseType: string | null; quantity: number }[]) => items.map((i) => `${i.productCode}${i.licenseType ? `:${i.licenseType}` : ''}=${i.quantity}`).join(' ');
export const pageHint = (next: string | null) => (next ? `\n(more: --cursor ${next})` : '');
