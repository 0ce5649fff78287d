#!/usr/bin/env node
// The test-rig command: in a checkout of the repository (tsconfig.json beside bin/) the TypeScript
// sources, which Node 22.18+ runs directly (a dist/ left by a build may be stale); in the
// published package, which ships the sources only for its source maps, the built CLI.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const checkout = existsSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)))
const entry = checkout ? new URL('../src/cli/main.ts', import.meta.url) : new URL('../dist/src/cli/main.js', import.meta.url)
const { runCli } = await import(entry.href)
process.exitCode = await runCli(process.argv.slice(2))
