// An error about data rows whose lines are found only when it is reported.

/**
 * An error about data rows (and a column), whose lines are found only when it is reported: the reader does not
 * track lines, which would halve csv-parse's speed. loadDataset turns it into a DataError at file:line:column.
 */
export class RowError extends Error {
  constructor(
    /** the data rows it is about (-1: the header); the first is where it points */
    readonly rows: number[],
    /** 0-based column index, when it is about a cell */
    readonly column: number | undefined,
    readonly describe: (lines: number[]) => string,
    readonly suggestion?: string,
  ) {
    super('a data error whose line is not known yet');
  }
}
