// Placeholder until this command lands; replaced by its owner.
import type { Command } from './command.js';

export const command: Command = {
  summary: '(not built yet)',
  usage: 'platformd validate: not built yet',
  options: {},
  async run() {
    console.error('platformd validate: not built yet');
    return 1;
  },
};
