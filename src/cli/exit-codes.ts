/** Exit codes of the `test-rig` command. */
export const exitCodes = {
  /** Everything asked for completed. */
  success: 0,
  /** The scenario ran and failed (a machine did not complete, an import failed, a cell errored). */
  failed: 1,
  /** Bad usage or configuration: nothing ran. */
  usage: 2,
} as const
