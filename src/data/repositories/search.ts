/** An ILIKE pattern matching text that contains `text` literally: its own % and _ match only themselves. */
export function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
