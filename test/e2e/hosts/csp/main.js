import { startBackOffice } from '/back-office.js';

startBackOffice();
