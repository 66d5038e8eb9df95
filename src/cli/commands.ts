import type { CliCommand, CliGroup } from './command.js';

/**
 * Every command, each imported only when needed (see main.ts). Tests and the option-spec export
 * load them all.
 */
export const COMMAND_LOADERS: Record<string, () => Promise<CliCommand | CliGroup>> = {
  count: async () => (await import('./count.js')).countCommand,
  panel: async () => (await import('./panel.js')).panelCommand,
  pon: async () => (await import('./pon.js')).ponCommand,
  simulate: async () => (await import('./simulate.js')).simulateCommand,
  track: async () => (await import('./track.js')).trackCommand,
  classify: async () => (await import('./classify.js')).classifyCommand,
  report: async () => (await import('./report.js')).reportCommand,
  run: async () => (await import('./run.js')).runCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  store: async () => (await import('./store.js')).storeCommand,
};

export async function loadCommands(names: readonly string[] = Object.keys(COMMAND_LOADERS)): Promise<(CliCommand | CliGroup)[]> {
  return Promise.all(names.map((name) => COMMAND_LOADERS[name]!()));
}
