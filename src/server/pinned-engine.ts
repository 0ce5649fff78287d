import { engineLabels, type EngineName } from './engine.ts'
import { EngineMismatchError } from './errors.ts'
import type { ServerInfo } from './types.ts'

/** Throws {@link EngineMismatchError} when `server.engine` pins a product and the started server is another. */
export function assertPinnedEngine(info: ServerInfo, pinned: EngineName | 'auto'): void {
  if (pinned === 'auto' || info.engine === pinned) return
  throw new EngineMismatchError(engineLabels[pinned], `${engineLabels[info.engine]} ${info.version}`, info.provider)
}
