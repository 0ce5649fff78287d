import type { FaultableMethod } from '../fault-controller.ts'
import { transactionStatementOf } from '../transaction-statement.ts'

/** An injected fault as a driver raises it: the method it failed, its SQL, its error. */
export interface RaisedFault {
  readonly method: FaultableMethod
  readonly sql: string | undefined
  readonly error: Error
}

/** Whether the fault leaves the connection unusable: a fatal error (a lost connection), or a failed QUIT. */
export function closesConnection(fault: RaisedFault): boolean {
  return (fault.error as { fatal?: unknown }).fatal === true || fault.method === 'end'
}

/**
 * Whether the server would have ended the transaction on this error: InnoDB rolls back a
 * deadlock's whole transaction (1213), TiDB a write conflict's (9007), and a failed COMMIT
 * (however it was sent) leaves none open. A fault that closes the connection needs no ROLLBACK:
 * the closed session rolls back anyway.
 */
export function endsTransaction(fault: RaisedFault): boolean {
  if (closesConnection(fault)) return false
  const { errno } = fault.error as { errno?: unknown }
  return fault.method === 'commit' || errno === 1213 || errno === 9007 || transactionStatementOf(fault.sql) === 'commit'
}
