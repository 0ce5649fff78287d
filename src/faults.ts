/**
 * Driver faults outside the fixtures (`test-rig/faults`): a fault controller of your own, and
 * mysql2 connections and pools instrumented to consult it.
 */
export { FaultController, faultableMethods, type FaultableMethod, type FaultPoint, type ConnectCall, type MethodCall, type FaultDecider, type ArmOptions, type ArmedFault, type FiredFault } from './faults/fault-controller.ts'
export { InjectedFaultError, UnfiredFaultsError, ServerFaultsUnavailableError, FailpointRefusedError } from './faults/errors.ts'
export { ServerFaults, type ServerFaultOptions, type SlowServerFaultOptions, type ArmedServerFault } from './faults/server/server-faults.ts'
export { namedServerFaults, type ServerFaultName } from './faults/server/named-server-faults.ts'
export { mysqlErrors, type MysqlLikeError } from './faults/mysql-errors.ts'
export { instrumentConnection, instrumentPool, type PoolTarget } from './faults/instrument.ts'
export type { CallbackFactories, PromiseFactories } from './faults/driver/instrumented-mysql.ts'
export { transactionStatementOf, type TransactionMethod } from './faults/transaction-statement.ts'
export { instrumentedMariadb, type MariadbModule, type MariadbConnection, type MariadbPool } from './faults/driver/instrument-mariadb.ts'
export { mariadbErrors, type MariadbLikeError } from './faults/mariadb-errors.ts'
