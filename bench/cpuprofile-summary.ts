/**
 * Summarises a V8 CPU profile (from `npm run bench:holds -- --profile`, or `node --cpu-prof`): where the
 * server's time went, by package or source file and by function, self time only.
 *
 *   npx tsx bench/cpuprofile-summary.ts .bench/profiles/CPU.….cpuprofile [--top 25]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Groups a script URL: a package in node_modules, a file of ours, node's internals, or V8 itself. */
function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const nodeModules = url.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const rest = url.slice(nodeModules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '');
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '25' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    console.error('Usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [--top 25]');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time per node: sum of the time deltas of the samples that landed in it.
  const selfMicros = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i]!;
      selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    }
  }
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0) || 1;
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame;
    const group = groupOf(frame.url, frame.functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'}  ${group}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const top = Number(values.top);
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${((micros / total) * 100).toFixed(1).padStart(6)}%  ${(micros / 1000).toFixed(0).padStart(8)} ms  ${name}`,
      );
    }
  };
  console.log(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled`);
  print('Self time by package / file:', byGroup);
  print('Self time by function:', byFunction);
}

main();
