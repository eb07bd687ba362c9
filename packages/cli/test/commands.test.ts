import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';

describe('the command table', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s: its summary in --help is the description the command itself registers, with an example',
    async (name, entry) => {
      const program = new Command();
      (await entry.load()).register(program);
      const command = program.commands.find((c) => c.name() === name);
      expect(command).toBeDefined();
      expect(command?.description()).toBe(entry.summary);
      let help = '';
      command?.configureOutput({ writeOut: (text) => (help += text) });
      command?.outputHelp();
      expect(help).toMatch(new RegExp(`\\$ trialkit ${name} `));
    },
  );
});
