// Placeholder until this command lands; replaced by its owner.
import type { Command } from './command.js';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'platformd plan: not built yet',
  options: {},
  async run() {
    console.error('platformd plan: not built yet');
    return 1;
  },
};
