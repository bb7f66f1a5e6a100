// `platformd version`: which platformd this is, on which Node and platform.
import { defineCommand } from './command.js';
import { PLATFORMD_VERSION } from '../version.js';

export const command = defineCommand({
  summary: 'print the version of platformd and of the Node.js running it',
  usage: `Usage: platformd version [--json]

Prints platformd's version, the Node.js version and the platform it runs on.

Options:
  --json      print them as a JSON object
  -h, --help  show this help`,
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const info = { platformd: PLATFORMD_VERSION, node: process.versions.node, platform: `${process.platform}/${process.arch}` };
    console.log(values.json ? JSON.stringify(info) : `platformd ${info.platformd} (node ${info.node}, ${info.platform})`);
    return 0;
  },
});
