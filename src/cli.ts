#!/usr/bin/env node
// platformd's entry point: argv → one command module. No engine logic lives here.
import { parseArgs } from 'node:util';
import { describeError, isPlatformdError } from './errors.js';

import { EXIT_USAGE, type Command } from './commands/command.js';

// Registry: command name → lazy module (keeps `platformd validate` from loading the AWS SDK).
const commands: Record<string, () => Promise<{ command: Command }>> = {
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  apply: () => import('./commands/apply.js'),
  destroy: () => import('./commands/destroy.js'),
  graph: () => import('./commands/graph.js'),
  run: () => import('./commands/run.js'),
  kubeconfig: () => import('./commands/kubeconfig.js'),
  token: () => import('./commands/token.js'),
  version: () => import('./commands/version.js'),
  sandbox: () => import('./cli-sandbox.js'),
  demo: () => import('./cli-demo.js'),
};

const NOT_IN_BUILD = '(not in this build: the production image ships without the sandbox)';

/** The command's module, or undefined when this build leaves it out (the image drops the sandbox). */
async function loadCommand(name: string): Promise<Command | undefined> {
  try {
    return (await commands[name]!()).command;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /cli-(sandbox|demo)|\/sandbox\//.test((err as Error).message)) return undefined;
    throw err;
  }
}

async function usage(): Promise<string> {
  const lines = ['Usage: platformd <command> [options]', '', 'Commands:'];
  for (const name of Object.keys(commands)) {
    const command = await loadCommand(name);
    lines.push(`  ${name.padEnd(10)} ${command ? command.summary : NOT_IN_BUILD}`);
  }
  lines.push('', 'Run `platformd <command> --help` for a command\'s options.');
  lines.push('The AWS region is the spec\'s `region` (token: --region, then AWS_REGION, then AWS_DEFAULT_REGION);',
    'credentials and endpoints come from the SDK\'s standard chain (AWS_PROFILE, AWS_ENDPOINT_URL, ...).');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    console.error(await usage());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return 0;
  }
  if (name === '--version') return (await loadCommand('version'))!.run({ positionals: [], values: {} });
  if (!commands[name]) {
    console.error(`platformd: unknown command "${name}"\n\n${await usage()}`);
    return EXIT_USAGE;
  }
  // grpc-js decides at load time whether `dns://<server>/…` targets use that server.
  if (rest.includes('--dns-server') || process.env.PLATFORMD_DNS_SERVER) process.env.GRPC_NODE_USE_ALTERNATIVE_RESOLVER ??= 'true';
  const command = await loadCommand(name);
  if (!command) {
    console.error(`platformd ${name}: ${NOT_IN_BUILD}`);
    return EXIT_USAGE;
  }
  const options = { ...command.options, help: { type: 'boolean' as const, short: 'h' } };
  // Terraform's single-dash `-out FILE` is what plan users type; parseArgs would read it as -o -u -t.
  const args = rest.map((a) => (a === '-out' ? '--out' : a.startsWith('-out=') ? `-${a}` : a));
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`platformd ${name}: ${(err as Error).message}\n\n${command.usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    console.log(command.usage);
    return 0;
  }
  return command.run({ positionals: parsed.positionals, values: parsed.values });
}

// NOTE(exit): Node exits as soon as nothing ref'd is pending, and waits and timers are unref'd
// by design (daemon shutdown must not hang on them). A command is not done until its promise
// settles: without this handle `apply` could exit 0 mid-wait, before its summary.
const keepAlive = setInterval(() => {}, 60_000);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`platformd: ${describeError(err)}`);
    if (!isPlatformdError(err) && process.env.PLATFORMD_DEBUG) console.error(err);
    process.exitCode = 1;
  },
).finally(() => clearInterval(keepAlive));

