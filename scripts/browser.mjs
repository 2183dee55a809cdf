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
import { execFileSync } from 'node:child_process';
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

/** The browser's path; installs Debian's chromium when none is there and this is a Debian machine run as root. */
export function ensureBrowser() {
  const found = findBrowser();
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new NoBrowser(
      'No Chrome, Chromium or Edge found: install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome), or set CHROMIUM_PATH to its executable.',
    );
  }
  console.log('No browser found: installing Debian’s chromium (apt-get install chromium), once for this machine…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const installed = findBrowser();
  if (!installed) throw new NoBrowser('apt-get installed chromium but no executable was found at /usr/bin/chromium.');
  return installed;
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
