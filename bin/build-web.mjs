#!/usr/bin/env node
// Builds the web app (web/ → web/dist) with Vite when its sources changed since the last build, so
// `npm start` works on a fresh clone and a restart is fast. The sources are hashed (not compared by
// modification time: a git checkout touches every file). `--force` rebuilds anyway.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const stampFile = path.join(dist, '.source-hash');

/** Every file that goes into the build, in a stable order. */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(web, 'src'));
  if (fs.existsSync(path.join(web, 'public'))) walk(path.join(web, 'public'));
  for (const file of ['index.html', 'vite.config.ts', 'tsconfig.json']) files.push(path.join(web, file));
  // Dependency versions change the bundle too.
  files.push(path.join(root, 'package-lock.json'));
  return files.filter((file) => fs.existsSync(file));
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
const hash = sourceHash();
const built = fs.existsSync(path.join(dist, 'index.html')) && fs.existsSync(stampFile);
if (!force && built && fs.readFileSync(stampFile, 'utf8').trim() === hash) {
  if (!quiet) console.log('boxoffice: web app is up to date (web/dist)');
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch {
  if (built) {
    console.warn('boxoffice: web/ changed but Vite is not installed (production install?); serving the old build');
    process.exit(0);
  }
  console.error('boxoffice: the web app is not built and Vite is not installed: run `npm install` first');
  process.exit(1);
}
const started = Date.now();
console.log('boxoffice: building the web app (web/ → web/dist)…');
// Always a production build: under vitest NODE_ENV is "test", which would give React's development build.
process.env.NODE_ENV = 'production';
await vite.build({
  configFile: path.join(web, 'vite.config.ts'),
  mode: 'production',
  logLevel: quiet ? 'error' : 'warn',
});
fs.writeFileSync(stampFile, `${hash}\n`);
console.log(`boxoffice: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
