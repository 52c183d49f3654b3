import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
}

async function* records<T>(columns: readonly CsvColumn<T>[], rows: AsyncIterable<T>) {
  for await (const row of rows) yield columns.map((c) => c.value(row));
}

/**
 * Sends rows as a CSV download, streamed so a large export never sits in memory whole.
 * Cells that a spreadsheet would run as a formula (=, +, -, @) are neutralised with a leading quote.
 */
export function sendCsv<T>(reply: FastifyReply, filename: string, columns: readonly CsvColumn<T>[], rows: AsyncIterable<T>) {
  const csv = pipeline(
    Readable.from(records(columns, rows)),
    stringify({ header: true, columns: columns.map((c) => c.header), escape_formulas: true }),
    (err) => {
      // Headers are gone by now: the client sees a cut-off download, the log says why.
      if (err) reply.log.error({ err }, 'CSV export failed');
    },
  );
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv);
}
