import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDemoConfig } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';

interface Saved {
  comparison: { tasks: Array<{ task: string; labels?: Array<{ label: string; support: number; routed?: { challenger: { routed: number; misrouted: number } } }> }> };
}
interface Metrics {
  tasks: Array<{ task: string; operating?: { byQueue?: Array<{ queue: string; routed: number; right: number }> } }>;
}

// Two demo models compared on other demo mail: which labels the challenger does worse on, per task, in gate.md and comparison.json.
describe('mailroute compare, per label', () => {
  const { dir, home, run } = demoChampionFolder('mailroute-cli-compare-labels-', 150);

  it("counts the mail each model routes to each queue as the challenger's own evaluation report does, and says the labels it does worse on", async () => {
    const config = await loadDemoConfig();
    writeFileSync(path.join(dir, 'weak.json'), JSON.stringify({ ...config, model: { ...config.model, epochs: 1, dim: 8 } }));
    const trained = await run(['train', '--config', 'weak.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const lenient = ['--policy', 'lenient.json', '--resamples', '20', '--no-record'];
    writeFileSync(path.join(dir, 'lenient.json'), JSON.stringify({ maxMacroF1DropPoints: 100, maxMeanMacroF1DropPoints: 100 }));
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--out', 'cmp', ...lenient]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Labels the challenger does worse on, per task');
    expect(res.stdout).toMatch(/`queue`: (F1 lower on|no label has a lower F1)/);
    const saved = JSON.parse(readFileSync(path.join(dir, 'cmp/comparison.json'), 'utf8')) as Saved;
    const queue = saved.comparison.tasks.find((t) => t.task === 'queue');
    expect(queue?.labels?.length).toBeGreaterThan(1);
    // The same per-queue counts as the challenger's own report (the demo routes by queue): by its routing, not by the lines alone.
    expect((await run(['evaluate', '--model', id, '--data', 'test.csv', '--out', 'ev'])).code).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'ev/metrics.json'), 'utf8')) as Metrics;
    const byQueue = metrics.tasks.find((t) => t.task === 'queue')?.operating?.byQueue ?? [];
    expect(byQueue.length).toBeGreaterThan(0);
    for (const q of byQueue) {
      expect(queue?.labels?.find((l) => l.label === q.queue)?.routed?.challenger, q.queue).toEqual({ routed: q.routed, misrouted: q.routed - q.right });
    }
    // The labels come after the gate's checks; each row says in emails how many more or fewer the challenger gets right.
    expect(res.stdout.indexOf('| check | result | detail |')).toBeLessThan(res.stdout.indexOf('Labels the challenger does worse on'));
    expect(res.stdout).toMatch(/\| label \| emails \| F1 \(top label\): champion \| F1 \(top label\): challenger \| Δ F1 \| Δ right \| misrouted to it \(at threshold\): champion \|/);
    // Recorded (no --no-record), the gate passes under the lenient policy: the Next line counts the warnings the summary heads.
    const kept = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--policy', 'lenient.json', '--resamples', '20']);
    expect(kept.code, kept.stderr).toBe(0);
    const warned = (kept.stdout.match(/^> \*\*Warning:\*\*/gm) ?? []).length;
    expect(warned).toBeGreaterThan(1);
    expect(kept.stdout).toContain(`\nNext: the gate passed with ${warned} warnings above, and a person decides: read them before approving. \`mailroute registry approve ${id}\``);
  }, 180_000);
});
