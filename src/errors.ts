// The user-facing error hierarchy: thrown by library code, rendered once by the CLI (src/cli/handle-error.ts).

/** Base class for mistakes a user can fix. `exitCode` is what the CLI exits with. */
export class LstmTrainError extends Error {
  readonly code: string;
  readonly suggestion?: string;
  readonly exitCode: number = 2;
  constructor(code: string, message: string, suggestion?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.suggestion = suggestion;
  }
}

/** An invalid config file or command-line flag. `problems` holds one line per issue: `path: message`. */
export class ConfigError extends LstmTrainError {
  readonly problems: string[];
  constructor(source: string, problems: string[], suggestion?: string) {
    super('CONFIG', `invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, suggestion);
    this.problems = problems;
  }
}

/** A command-line flag that is missing, malformed or contradicts another: `problem` names the flag first. */
export class UsageError extends LstmTrainError {
  constructor(problem: string, suggestion?: string) {
    super('USAGE', `invalid command line: ${problem}`, suggestion);
  }
}

/** A data file that cannot be used: `where` is `file:line:column` (or as much of it as is known). */
export class DataError extends LstmTrainError {
  readonly where: string;
  constructor(where: string, message: string, suggestion?: string) {
    super('DATA', `${where}: ${message}`, suggestion);
    this.where = where;
  }
}

/** A checkpoint directory that is missing, truncated, corrupted or from an incompatible version. */
export class CheckpointError extends LstmTrainError {
  constructor(path: string, message: string, suggestion?: string) {
    super('CHECKPOINT', `${path}: ${message}`, suggestion);
  }
}

/** Training could not go on (e.g. the loss became NaN); what was written before stays. */
export class TrainingError extends LstmTrainError {
  constructor(message: string, suggestion?: string) {
    super('TRAINING', message, suggestion);
  }
}

/** lstm-compare's variants do not compute the same function, so racing them would mislead: exit 1, not 2. */
export class ParityError extends LstmTrainError {
  override readonly exitCode = 1;
  constructor(message: string, suggestion?: string) {
    super('PARITY', message, suggestion);
  }
}

/** Formats a value found in user input for an error message: short, JSON-like. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value);
  const s = JSON.stringify(value);
  if (s === undefined) return typeof value; // a function or a symbol: JSON has no text for them
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
