// Bundles what a Vitest worker loads into a few files, after `tsc` has written dist/ (and the
// declarations). Every test file imports `test-rig`, and Vitest starts a fresh worker per file:
// loading ~90 small modules cost ~80 ms per file, one bundle ~40 ms (measured in a worker). The
// public entries and the setup file are bundled together so that each module exists once (one
// FaultController class, one intercept route) whichever entries a project imports; shared code
// goes to dist/src/chunks/. Packages stay external and keep loading on first use (dynamic imports
// stay dynamic). Source maps point at the TypeScript sources the package ships.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'

const repo = fileURLToPath(new URL('..', import.meta.url))

const entries = {
  'src/index': 'src/index.ts',
  'src/config': 'src/config.ts',
  'src/containers': 'src/containers.ts',
  'src/schedules': 'src/schedules.ts',
  'src/imports': 'src/imports.ts',
  'src/resilience': 'src/resilience.ts',
  'src/machines': 'src/machines.ts',
  'src/isolation': 'src/isolation.ts',
  'src/toxics': 'src/toxics.ts',
  'src/faults': 'src/faults.ts',
  'src/servers': 'src/servers.ts',
  'src/history': 'src/history.ts',
  'preset/intercept-setup': 'preset/intercept-setup.ts',
}

// Chunk names carry a hash: last build's would stay beside this one's.
await rm(join(repo, 'dist', 'src', 'chunks'), { recursive: true, force: true })
const build = await rolldown({
  cwd: repo,
  input: entries,
  platform: 'node',
  // Packages (and node: builtins) are the project's own installs, not copied in.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
  tsconfig: 'tsconfig.build.json',
})
await build.write({
  dir: 'dist',
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'src/chunks/[name]-[hash].js',
  sourcemap: true,
  // The driver faults' modules (mysql2's and the mariadb connector's instrumentation, shared by
  // the index and intercept mode's setup) load together: one chunk rather than one per module.
  codeSplitting: { groups: [{ name: 'driver-faults', test: /[\\/]src[\\/]faults[\\/]driver[\\/]/ }] },
})
await build.close()

// The run's start, in Vitest's own process, bundled on its own: its ~60 modules cost ~35 ms of
// every run's start before the server is spawned. Built apart from the entries above so that a
// worker's files stay as they are (shared chunks would cost each test file a few ms more); the
// two share no state (the run's context goes to workers by Vitest's provide/inject).
await rm(join(repo, 'dist', 'preset', 'chunks'), { recursive: true, force: true })
// The janitor spawns its own module file as a process: it stays tsc's file, loaded from there.
const janitor = (id: string) => /(^|[\\/])run-janitor\.ts$/.test(id)
const setup = await rolldown({
  cwd: repo,
  input: { 'preset/global-setup': 'preset/global-setup.ts' },
  platform: 'node',
  external: (id) => janitor(id) || (!id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id)),
  tsconfig: 'tsconfig.build.json',
})
await setup.write({
  dir: 'dist',
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'preset/chunks/[name]-[hash].js',
  // Given from dist/; rolldown writes it relative to the importing file.
  paths: (id) => (janitor(id) ? './src/server/run-janitor.js' : id),
  sourcemap: true,
})
await setup.close()
