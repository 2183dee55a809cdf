import { startBackOffice } from '/back-office.js';

// `?without-kit` shows the host page alone, to compare its own elements with and without the kit.
if (!new URLSearchParams(location.search).has('without-kit')) {
  startBackOffice();
  await import('/dist/clientela.bundle.js');
}
