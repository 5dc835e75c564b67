// npm test's browser tests drive Debian's Chromium (playwright-core downloads no browser). Where it
// is missing, install it with apt-get when we may (root, on Debian); otherwise say how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};

if (!existsSync(path)) {
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log(`${path} is missing: installing Debian's chromium for the browser tests`);
    execSync('apt-get update -qq && apt-get install -y -qq chromium', { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, shell: '/bin/sh' });
  } else {
    console.warn(`${path} is missing and cannot be installed here: the browser tests will fail. Install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.`);
  }
}
