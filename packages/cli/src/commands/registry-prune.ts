import type { Command } from 'commander';
import type { PruneResult } from '@mailroute/model';
import { createLocalRegistry, formatBytes } from '@mailroute/model';
import type { CliContext } from '../context.js';
import { wholeNumberOption } from '../numbers.js';
import { safeJson, safeLines } from '../terminal-text.js';

// Said as the registry's own messages say sizes (`37.5 MB`, `812 kB`): kept here for the commands' imports.
export { formatBytes };

/** What `registry prune` prints: each version removed (or that would be), the space, why the others stayed. */
export function pruneReport(result: PruneResult, olderThanDays: number, home: string): string {
  const { champion, lastChampion, approved, formerChampion, recent, prunedBefore } = result.kept;
  if (result.pruned.length === 0 && champion + lastChampion + approved + formerChampion + recent + prunedBefore === 0) return `nothing to prune: no models registered in ${home}\n`;
  const verb = result.dryRun ? 'would remove' : 'removed';
  const lines = result.pruned.map((v) => `  ${v.id} (version ${v.version}, ${v.status} since ${v.since.slice(0, 10)}, ${formatBytes(v.bytes)})`);
  const age = olderThanDays === 0 ? '' : ` for ${olderThanDays} days or more`;
  const head =
    result.pruned.length === 0
      ? `nothing to prune${lastChampion > 0 ? '' : `: no version has been Rejected or awaiting approval${age}`}`
      : `${verb} the artifacts of ${result.pruned.length} version${result.pruned.length > 1 ? 's' : ''} (${formatBytes(result.bytes)}); their records stay (\`mailroute registry show <id>\`):`;
  const kept = [
    champion > 0 ? 'the champion' : '',
    lastChampion > 0 ? 'the last champion (the registry has none since it was rejected: servers keep serving it)' : '',
    approved > 0 ? `${approved} Approved (what a rollback goes back to)` : '',
    formerChampion > 0 ? `${formerChampion} Rejected that served as champion (their predictions are in the store; an audit reads their thresholds)` : '',
    recent > 0 ? `${recent} Rejected or awaiting approval for less than ${olderThanDays} days` : '',
    prunedBefore > 0 ? `${prunedBefore} pruned before` : '',
  ].filter(Boolean);
  const tail = [
    kept.length > 0 ? `kept: ${kept.join('; ')}` : '',
    result.dryRun && result.pruned.length > 0 ? 'dry run: nothing was removed; run it again without --dry-run to remove them' : '',
    result.unlisted.length > 0
      ? `note: models/ holds ${result.unlisted.length} director${result.unlisted.length > 1 ? 'ies' : 'y'} the registry moved aside (${result.unlisted.slice(0, 2).join(', ')}${result.unlisted.length > 2 ? ', ...' : ''}): artifacts no index entry listed, perhaps the only copy; prune never removes them: delete them by hand once you know they are not needed`
      : '',
  ].filter(Boolean);
  return `${[head, ...lines, ...tail].join('\n')}\n`;
}

/** `mailroute registry prune [--older-than <days>] [--dry-run] [--json]`. */
export function registerPrune(registry: Command, ctx: CliContext): void {
  registry
    .command('prune')
    .description(
      'Remove the artifacts of versions no server or rollback needs: Rejected, or awaiting approval, for --older-than days (never the champion, never an Approved version, never one that served as champion); their records stay in the registry',
    )
    .option('--older-than <days>', 'only versions Rejected or registered (awaiting approval) at least this many days ago; 0: all of them', wholeNumberOption('--older-than', 0, 36500), 30)
    .option('--dry-run', 'say what would be removed, remove nothing')
    .option('--json', 'print JSON')
    .action(async (flags: { olderThan: number; dryRun?: boolean; json?: boolean }) => {
      const result = await createLocalRegistry({ home: ctx.home }).prune({ olderThanDays: flags.olderThan, dryRun: flags.dryRun === true });
      ctx.stdout.write(flags.json ? `${safeJson(result)}\n` : safeLines(pruneReport(result, flags.olderThan, ctx.home)));
    });
}
