/**
 * Finds the Chromium-family browser that the component, end-to-end and XSS tests, the screenshots and
 * the bench drive, so that `npm test` works on a bare machine with no step of its own:
 *   1. CHROMIUM_PATH, when set (it must exist);
 *   2. an installed Chrome, Chromium or Edge, found as chrome-launcher finds it on a developer's laptop;
 *   3. on Debian or Ubuntu as root, `apt-get install chromium`, saying so on one line;
 *   4. else one line naming the ways to get one, and exit code 1 — within the first second.
 * `findBrowser()` only looks; `ensureBrowser()` may install. Both leave the answer in CHROMIUM_PATH,
 * which child processes inherit.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { Launcher } from 'chrome-launcher';

/** Flags for headless runs as root on a shared CI machine. */
export const BROWSER_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const EXTRA_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/snap/bin/chromium'];

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export class NoBrowser extends Error {}

/** The browser's path, or null when none is installed. Throws NoBrowser when CHROMIUM_PATH names nothing runnable. */
export function findBrowser() {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (executable(configured)) return configured;
    throw new NoBrowser(`CHROMIUM_PATH=${configured} is not an executable browser: fix it or unset it to let the tests find one.`);
  }
  let found = [];
  try {
    found = Launcher.getInstallations();
  } catch {
    // chrome-launcher throws on platforms it does not know; the fixed list below still applies.
  }
  const path = [...found, ...EXTRA_CANDIDATES].find(executable) ?? null;
  if (path) process.env.CHROMIUM_PATH = path;
  return path;
}

const canInstallWithApt = () => process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

const APT_STEPS = [
  ['update', '-qq'],
  ['install', '-y', '-qq', 'chromium'],
];

/** The browser's path, or NoBrowser when none is there and none can be installed here. */
function noBrowserHere() {
  return new NoBrowser(
    'No Chrome, Chromium or Edge found: install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome), or set CHROMIUM_PATH to its executable.',
  );
}

function installed() {
  const path = findBrowser();
  if (!path) throw new NoBrowser('apt-get installed chromium but no executable was found at /usr/bin/chromium.');
  return path;
}

const aptEnv = () => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
const INSTALLING = 'No browser found: installing Debian’s chromium (apt-get install chromium), once for this machine…';

/** The browser's path; installs Debian's chromium when none is there and this is a Debian machine run as root. */
export function ensureBrowser() {
  const found = findBrowser();
  if (found) return found;
  if (!canInstallWithApt()) throw noBrowserHere();
  console.log(INSTALLING);
  for (const args of APT_STEPS) execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv() });
  return installed();
}

/**
 * As ensureBrowser, but an install runs in the background while the caller goes on (npm test runs
 * its type check and server tests meanwhile). A machine that can have no browser still hears so at once:
 * this throws synchronously; an install that fails rejects the promise.
 */
export function ensureBrowserSoon() {
  const found = findBrowser();
  if (found) return Promise.resolve(found);
  if (!canInstallWithApt()) throw noBrowserHere();
  console.log(`${INSTALLING} (in the background)`);
  const step = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv() });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new NoBrowser(`apt-get ${args.join(' ')} failed with exit code ${code}.`))));
    });
  return APT_STEPS.reduce((previous, args) => previous.then(() => step(args)), Promise.resolve()).then(installed);
}

/** For scripts run by hand (screenshots, bench): the browser, or one line and exit 1. */
export function browserOrExit() {
  try {
    return ensureBrowser();
  } catch (err) {
    console.error(`✘ ${err.message}`);
    process.exit(1);
  }
}
