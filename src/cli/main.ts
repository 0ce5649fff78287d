import { pathToFileURL } from 'node:url'
import { Command, CommanderError, Option } from 'commander'
import { processOutput, type CliOutput } from './cli-output.ts'
import { configInit, configSchema, configShow } from './config-command.ts'
import { doctor } from './doctor-command.ts'
import { isolationCommand } from './isolation-command.ts'

/** Runs the `test-rig` command with the given arguments (without `node` and the script); returns the exit code. */
export async function runCli(args: readonly string[], cwd = process.cwd(), output: CliOutput = processOutput): Promise<number> {
  let code = 0
  const program = new Command('test-rig')
    .description('A real MySQL-protocol database (TiDB, MySQL, MariaDB) in every Vitest test.')
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
  const connectionFlags = (command: Command) => command
    .option('--host <host[:port]>', 'external server host (and port)')
    .option('--user <name>', 'user to connect as')
    .option('--database <name>', 'database to verify on an external server')
    .addOption(new Option('--provider <name>', 'where the server comes from').choices(['auto', 'local', 'container', 'external']))
    .option('--binary <path>', 'server binary for the local provider')

  const config = program.command('config').description('write, show or describe the configuration')
  connectionFlags(config.command('init').description('write a commented sample config generated from the schema'))
    .addOption(new Option('--format <format>', 'file format').choices(['toml', 'json']).default('toml'))
    .option('--out <file>', 'file to write (default test-rig.config.<format>)')
    .option('--force', 'overwrite an existing file')
    .action(async (options) => { code = await configInit(cwd, options, output) })
  connectionFlags(config.command('show').description('print the resolved configuration (passwords redacted) and where each value came from'))
    .option('--config <file>', 'config file to read')
    .action(async (options) => { code = await configShow(cwd, options, output) })
  config.command('schema').description('print the JSON Schema of the config file').action(() => { code = configSchema(output) })
  connectionFlags(program.command('isolation').description('run the isolation anomaly matrix against the server a run would use'))
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'markdown']).default('table'))
    .option('--levels <levels...>', 'isolation levels (default: all four); any case, words joined by a space, - or _, or RU/RC/RR/SR')
    .option('--transaction-mode <mode>', 'TiDB only: pessimistic or optimistic sessions (default: the server\'s)')
    .action(async (options) => { code = await isolationCommand(cwd, options, output) })
  connectionFlags(program.command('doctor').description('show what this machine offers and which provider a run would use'))
    .action(async (options) => { code = await doctor(cwd, options, output) })

  try {
    await program.parseAsync([...args], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    output.err(error instanceof Error ? error.message : String(error))
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runCli(process.argv.slice(2))
}
