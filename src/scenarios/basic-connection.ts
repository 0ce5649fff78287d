import { defineMachine, type Machine } from '../machines/machine.ts'
import { commonStates, type ConnectionCheckData } from './common-states.ts'

/**
 * The seed's basic connection test as a machine: parsing_config → connecting → testing_connection
 * → verifying_database → getting_version → completed.
 */
export const basicConnection: Machine<ConnectionCheckData> = defineMachine<ConnectionCheckData>({
  id: 'basic-connection',
  initial: 'parsing_config',
  states: commonStates,
  data: () => ({}),
})
