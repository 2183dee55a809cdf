/**
 * An Angular host as `ng new` makes one and docs/frameworks/angular.md
 * tells: the tags registered first, a standalone root component, zoneless
 * change detection and Angular's global error listeners, which log any
 * window error as "ERROR".
 */
import 'clientela/define';
import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { BackOfficeComponent } from './back-office.component';

bootstrapApplication(BackOfficeComponent, {
  providers: [provideZonelessChangeDetection(), provideBrowserGlobalErrorListeners()],
}).catch((err: unknown) => console.error(err));
