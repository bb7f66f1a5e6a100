// Placeholder until this command lands; replaced by its owner.
import type { Command } from './command.js';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'platformd demo: not built yet',
  options: {},
  async run() {
    console.error('platformd demo: not built yet');
    return 1;
  },
};
