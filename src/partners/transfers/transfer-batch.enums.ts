/** What a transfer batch does when one of its rows is refused. */
export enum TransferBatchMode {
  /** Every row moves, in one database transaction, or none does. */
  ALL_OR_NOTHING = 'ALL_OR_NOTHING',
  /** The rows that pass move; a refused row is refused alone. */
  EACH_ON_ITS_OWN = 'EACH_ON_ITS_OWN',
}

/** One row's fate in a transfer batch. */
export enum TransferBatchRowStatus {
  /** The transfer was made (for a dry run: it would be). */
  OK = 'OK',
  /** Refused, with the code a single `transferCredits` would give. */
  REFUSED = 'REFUSED',
  /** Valid, but an ALL_OR_NOTHING batch with a refused row moves nothing. */
  NOT_APPLIED = 'NOT_APPLIED',
}
