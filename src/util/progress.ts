// How long work says how far it has got: library code calls back with counts, only src/cli draws anything.

/** `done` of `total` units of the current phase (rows, bytes, windows); called often, so keep it cheap. */
export type OnProgress = (done: number, total: number) => void;

/** A phase's progress callback by the phase's name ("reading data.csv", "fitting the linear skip"). */
export type ProgressPhases = (phase: string) => OnProgress | undefined;
