// A series' name: the values of its id columns joined with "/", and the order series are listed in. Pure and
// dependency-free: lstm-train and the exported predict.js both name series by this file.

/** The name of the series whose id columns hold `values` ("" for a file of one series). */
export const seriesName = (values: string[]): string => values.join('/');

const NATURAL = new Intl.Collator('en', { numeric: true });

/** The order in which reports and forecasts list series: as a person would (st2 before st10), whatever the file's. */
export const compareSeriesNames = (a: string, b: string): number => NATURAL.compare(a, b);

/** What an empty series-id cell is told, by the loader and by predict.js alike. */
export const EMPTY_ID = 'expected the name of a series, found an empty cell';
