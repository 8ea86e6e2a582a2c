/** The contract every reliability scenario (`test/reliability/<name>.scenario.ts`) implements. */
export interface ScenarioOptions {
  /** The short version run inside `npm test`. */
  quick: boolean;
}

export interface ScenarioResult {
  /** E.g. "database restart". */
  name: string;
  /** Printed in the table, e.g. { lost: 0, doubled: 0 }. */
  figures: Record<string, string | number>;
  /** Empty when the scenario passed. */
  failures: string[];
}
