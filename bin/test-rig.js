#!/usr/bin/env node
// The test-rig command: inside the repository the TypeScript sources (Node 22.18+ runs them
// directly; a dist/ left by a build may be stale), in the published package the built CLI.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const sources = new URL('../src/cli/main.ts', import.meta.url)
const { runCli } = await import(existsSync(fileURLToPath(sources)) ? sources.href : new URL('../dist/src/cli/main.js', import.meta.url).href)
process.exitCode = await runCli(process.argv.slice(2))
