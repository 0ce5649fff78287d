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
})
await build.close()
