#!/usr/bin/env node
// The test-rig command: the built CLI, or inside the repository (no dist/) the TypeScript sources,
// which Node 22.18+ runs directly.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../dist/src/cli/main.js', import.meta.url)
const { runCli } = await import(existsSync(fileURLToPath(built)) ? built.href : new URL('../src/cli/main.ts', import.meta.url).href)
process.exitCode = await runCli(process.argv.slice(2))
