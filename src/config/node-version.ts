/** The Node versions vitest 5 and testcontainers 12 accept, in words. */
export const supportedNode = '22.22 or later on 22.x, 24, or 26 and later'

/** Whether a Node version (`process.versions.node`) is one vitest 5 and testcontainers 12 accept. */
export function nodeFits(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return (major === 22 && minor >= 22) || major === 24 || major >= 26
}
