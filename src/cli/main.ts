import { pathToFileURL } from 'node:url'
import { Command, CommanderError, Option } from 'commander'
import { processOutput, redactingOutput, type CliOutput } from './cli-output.ts'
import { configInit, configSchema, configShow } from './config-command.ts'
import { doctor } from './doctor-command.ts'
import { commonOptions } from './flags.ts'
import { importsWatch } from './imports-command.ts'
import { isolationCommand } from './isolation-command.ts'
import { historyCheck, historyRun } from './history-command.ts'
import { runCommand, runnableScenarios } from './run-command.ts'
import { exitCodes } from './exit-codes.ts'

export { exitCodes } from './exit-codes.ts'

/** Runs the `test-rig` command with the given arguments (without `node` and the script); returns the exit code. */
export async function runCli(args: readonly string[], cwd = process.cwd(), printer: CliOutput = processOutput): Promise<number> {
  // Every line the command prints passes through the secrets of its configuration.
  const output = redactingOutput(printer)
  let code: number = exitCodes.success
  const program = new Command('test-rig')
    .description('A real MySQL-protocol database (TiDB, MySQL, MariaDB) in every Vitest test.')
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    // The same lines on every terminal, so that the generated command reference is stable.
    .configureHelp({ helpWidth: 100 })
    .addHelpText('after', `
Exit codes: 0 success, 1 the scenario failed, 2 usage or configuration error.
Every command takes the common options (-c, -H, -u, -d, --password, --log-level, --log-file, -v, …);
values come from, highest first: flags, environment (TIDB_*, DATABASE_URL, TEST_RIG_*), .env, the
config file, defaults.`)
  const example = (command: Command, text: string) => command.addHelpText('after', `\nExample:\n  $ ${text}`)

  const config = program.command('config').description('write, show or describe the configuration')
  example(commonOptions(config.command('init').description('write a sample config generated from the schema, defaults commented out')), 'test-rig config init -H tidb.example:4000 -u app --set test.rows=50')
    .addOption(new Option('--format <format>', 'file format').choices(['toml', 'json']).default('toml'))
    .option('--out <file>', 'file to write (default test-rig.config.<format>)')
    .option('--force', 'overwrite an existing file')
    .option('--test-rows <n>', 'rows scenarios insert (test.rows)')
    .action(async (options) => { code = await configInit(cwd, options, output) })
  example(commonOptions(config.command('show').description('print the resolved configuration (passwords redacted) and where each value came from')), 'test-rig config show -c tidb_config.toml --password')
    .action(async (options) => { code = await configShow(cwd, options, output) })
  example(config.command('schema').description('print the JSON Schema of the config file'), 'test-rig config schema > test-rig.schema.json')
    .action(() => { code = configSchema(output) })

  const runScenario = example(commonOptions(program.command('run').argument('<scenario>', runnableScenarios.join(' or ')).description('run a built-in scenario (a state machine) against the server a test run would use, or the one given')),
    'test-rig run multi-connection -H tidb.example:4000 -u app --password --connections 8 --mermaid')
  runScenario
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option('--mermaid', 'also print the Mermaid diagram of the run')
    .option('--connections <n>', 'sessions of multi-connection (default 4)')
    .option('--test-rows <n>', 'rows each session inserts (test.rows)')
    .action(async (scenario: string, options) => { code = await runCommand(cwd, scenario, options, output) })

  const imports = program.command('imports').description('TiDB import jobs (IMPORT INTO)')
  example(commonOptions(imports.command('watch').argument('[job-id]', 'the job to watch (default: every active job)').description('watch import jobs until they end (live progress on a terminal, plain lines in CI)')),
    'test-rig imports watch --monitor-duration 600 --update-interval 2 --show-details')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option('--monitor-duration <secs>', 'give up after this long (imports.monitorDurationSecs, default 300)')
    .option('--update-interval <secs>', 'pause between polls (imports.updateIntervalSecs, default 5)')
    .option('--show-details', 'show each job\'s source and messages')
    .option('--import-config <file>', 'start the import a JSON or TOML file describes ({ table, source, format?, options? }), then watch it')
    .action(async (jobId: string | undefined, options) => { code = await importsWatch(cwd, jobId, options, output) })

  example(commonOptions(program.command('isolation').description('run the isolation anomaly matrix against the server a run would use')), 'test-rig isolation --isolation-level read-committed --concurrent-connections 8 --test-rows 100')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'markdown']).default('table'))
    .option('--levels <levels...>', 'isolation levels (default: all four); any case, words joined by a space, - or _, or RU/RC/RR/SR')
    .option('--isolation-level <level>', 'one level (as --levels)')
    .option('--transaction-mode <mode>', 'TiDB only: pessimistic or optimistic sessions (default: the server\'s)')
    .option('--concurrent-connections <n>', 'also run the contention check: this many sessions making read-modify-write increments, lost updates counted')
    .option('--test-rows <n>', 'rows of the contention table and increments per session (test.rows)')
    .action(async (options) => { code = await isolationCommand(cwd, options, output) })

  const history = program.command('history').description('transactional histories: check one, or run a workload and check its')
  example(history.command('check').argument('<file>', 'a Jepsen-format history (JSON)').description('check a history as Elle does: anomalies, and a verdict per consistency model'), 'test-rig history check history.json --model snapshot-isolation')
    .option('--model <model>', 'the model to hold it to: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable', 'strict-serializable')
    .addOption(new Option('--workload <workload>', 'what the history did (default: list-append unless it writes registers)').choices(['list-append', 'rw-register']))
    .option('--time-limit <ms>', 'the longest the cycle search may take (default 10000)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (file: string, options) => { code = await historyCheck(cwd, file, options, output) })
  example(commonOptions(history.command('run').description('run a generated workload against the server a test run would use, write its history and check it')), 'test-rig history run --isolation-level "repeatable read" --sessions 8 --transactions 500 --model snapshot-isolation')
    .option('--model <model>', 'the model to hold it to', 'strict-serializable')
    .addOption(new Option('--workload <workload>', 'list-append (default) or rw-register').choices(['list-append', 'rw-register']))
    .option('--sessions <n>', 'concurrent sessions (default 8)')
    .option('--transactions <n>', 'transactions in all (default 200)')
    .option('--keys <n>', 'keys active at a time (default 10)')
    .option('--isolation-level <level>', 'every session\'s isolation level (default: the server\'s)')
    .option('--transaction-mode <mode>', 'TiDB only: pessimistic or optimistic')
    .option('--seed <n>', 'the generator\'s seed (default 1)')
    .option('--out <file>', 'where the history goes (default history.json)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (options) => { code = await historyRun(cwd, options, output) })

  example(commonOptions(program.command('doctor').description('show what this machine offers, check the server a run would use, and name the provider')), 'test-rig doctor -H db.example:3306 -u app --password')
    .action(async (options) => { code = await doctor(cwd, options, output) })

  try {
    await program.parseAsync([...args], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.success : exitCodes.usage
    output.err(error instanceof Error ? error.message : String(error))
    const usage = error instanceof Error && 'code' in error && (error.code === 'TEST_RIG_USAGE' || error.code === 'TEST_RIG_CONFIG')
    return usage ? exitCodes.usage : exitCodes.failed
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runCli(process.argv.slice(2))
}
