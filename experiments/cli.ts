/** Shared command-line plumbing for every capuchin command (commander). */
import { Command, InvalidArgumentError, Option } from 'commander';

export function newCommand(name: string, description: string): Command {
  return new Command(name).description(description).showHelpAfterError().allowExcessArguments(false);
}

export const dataOption = () =>
  new Option('--data <dir>', 'data folder in the Kaggle layout (default: $CAPUCHIN_DATA, else data/sample)');
export const outOption = (what: string) => new Option('--out <path>', what);

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

export function parseNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got '${value}'`);
    return n;
  };
}

/** Run a command's main, printing a one-line error (no stack) for expected failures. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.CAPUCHIN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
