import { Help, type Command, type Option } from 'commander';

/** Options a command's action requires though Commander does not (evaluate's --out, compare's --challenger): shown as required all the same. */
const requiredByAction = new WeakSet<Option>();

/**
 * Marks options of `command` as required in its help, for those its action checks itself (one of two ways to be
 * given, or a usage error of its own words) rather than Commander's `requiredOption`.
 */
export function requiredInHelp(command: Command, ...longs: string[]): void {
  for (const long of longs) {
    const option = command.options.find((o) => o.long === long);
    if (option === undefined) throw new Error(`requiredInHelp: ${command.name()} has no option ${long}`);
    requiredByAction.add(option);
  }
}

/** Whether the help shows `option` as required: Commander's mandatory options and those marked by requiredInHelp. */
export function shownRequired(option: Option): boolean {
  return option.mandatory || requiredByAction.has(option);
}

/**
 * The help's description of an option, `(required) ` in front for a required one (the reference marks them so;
 * Commander's help shows nothing of `requiredOption`). Set once on the program: every subcommand made after inherits it.
 */
export function markRequiredOptions(program: Command): void {
  program.configureHelp({
    optionDescription(this: Help, option: Option): string {
      const description = Help.prototype.optionDescription.call(this, option);
      return shownRequired(option) ? `(required) ${description}` : description;
    },
  });
}
