/**
 * The design tokens, set by <clientela-provider> on itself so every component
 * inside inherits them. A host overrides any of them from outside
 * (`clientela-provider { --clientela-accent: teal }`); `theme="dark"` (or
 * `auto` with a dark system setting) swaps the palette.
 *
 * @cssprop --clientela-font - Font family
 * @cssprop --clientela-font-size - Base font size
 * @cssprop --clientela-radius - Corner radius of cards and dialogs
 * @cssprop --clientela-radius-small - Corner radius of controls
 * @cssprop --clientela-bg - Page-level background behind cards
 * @cssprop --clientela-surface - Card background
 * @cssprop --clientela-surface-sunken - Inset areas, table headers
 * @cssprop --clientela-surface-hover - Hovered rows and buttons
 * @cssprop --clientela-border - Hairlines
 * @cssprop --clientela-border-strong - Control borders
 * @cssprop --clientela-text - Body text
 * @cssprop --clientela-text-muted - Secondary text
 * @cssprop --clientela-accent - Primary actions, links, focus
 * @cssprop --clientela-accent-text - Text on the accent colour
 * @cssprop --clientela-danger - Destructive actions and errors
 * @cssprop --clientela-accent-hover - Hovered primary actions
 * @cssprop --clientela-accent-soft - Tinted backgrounds of selected and accented things
 * @cssprop --clientela-accent-soft-text - Text on --clientela-accent-soft
 * @cssprop --clientela-danger-hover - Hovered destructive actions
 * @cssprop --clientela-danger-soft - Background of error messages
 * @cssprop --clientela-danger-text - Text of error messages
 * @cssprop --clientela-success-soft - Background of success badges and messages
 * @cssprop --clientela-success-text - Text on --clientela-success-soft
 * @cssprop --clientela-warning-soft - Background of warnings
 * @cssprop --clientela-warning-text - Text on --clientela-warning-soft
 * @cssprop --clientela-neutral-soft - Background of neutral badges
 * @cssprop --clientela-neutral-text - Text on --clientela-neutral-soft
 * @cssprop --clientela-selected - Background of the selected row
 * @cssprop --clientela-focus - Focus ring colour
 * @cssprop --clientela-shadow - Shadow of cards
 * @cssprop --clientela-shadow-overlay - Shadow of dialogs
 * @cssprop --clientela-backdrop - Backdrop behind modal dialogs
 */
import { css } from 'lit';

const light = css`
  color-scheme: light;
  --clientela-bg: #f4f6f9;
  --clientela-surface: #ffffff;
  --clientela-surface-sunken: #f8fafc;
  --clientela-surface-hover: #f1f5f9;
  --clientela-border: #e4e9f0;
  --clientela-border-strong: #cbd5e1;
  --clientela-text: #0f172a;
  --clientela-text-muted: #5b6b80;
  --clientela-accent: #4f46e5;
  --clientela-accent-hover: #4338ca;
  --clientela-accent-text: #ffffff;
  --clientela-accent-soft: #eef2ff;
  --clientela-accent-soft-text: #3730a3;
  --clientela-danger: #dc2626;
  --clientela-danger-hover: #b91c1c;
  --clientela-danger-soft: #fef2f2;
  --clientela-danger-text: #b91c1c;
  --clientela-warning-soft: #fffbeb;
  --clientela-warning-text: #92400e;
  --clientela-success-soft: #ecfdf3;
  --clientela-success-text: #166534;
  --clientela-neutral-soft: #f1f5f9;
  --clientela-neutral-text: #475569;
  --clientela-selected: #eef2ff;
  --clientela-focus: rgb(79 70 229 / 0.45);
  --clientela-shadow: 0 1px 2px rgb(15 23 42 / 0.05), 0 1px 3px rgb(15 23 42 / 0.07);
  --clientela-shadow-overlay: 0 24px 60px rgb(15 23 42 / 0.28);
  --clientela-backdrop: rgb(15 23 42 / 0.45);
`;

const dark = css`
  color-scheme: dark;
  --clientela-bg: #0b1120;
  --clientela-surface: #111827;
  --clientela-surface-sunken: #0f172a;
  --clientela-surface-hover: #1c2536;
  --clientela-border: #243044;
  --clientela-border-strong: #3a475c;
  --clientela-text: #e6eaf0;
  --clientela-text-muted: #9aa7ba;
  --clientela-accent: #8b93fa;
  --clientela-accent-hover: #a5acfc;
  --clientela-accent-text: #0b1120;
  --clientela-accent-soft: rgb(139 147 250 / 0.16);
  --clientela-accent-soft-text: #c7ccff;
  --clientela-danger: #f87171;
  --clientela-danger-hover: #fca5a5;
  --clientela-danger-soft: rgb(248 113 113 / 0.14);
  --clientela-danger-text: #fca5a5;
  --clientela-warning-soft: rgb(251 191 36 / 0.14);
  --clientela-warning-text: #fcd34d;
  --clientela-success-soft: rgb(74 222 128 / 0.13);
  --clientela-success-text: #86efac;
  --clientela-neutral-soft: #1f2937;
  --clientela-neutral-text: #cbd5e1;
  --clientela-selected: rgb(139 147 250 / 0.14);
  --clientela-focus: rgb(139 147 250 / 0.55);
  --clientela-shadow: 0 1px 2px rgb(0 0 0 / 0.4);
  --clientela-shadow-overlay: 0 24px 60px rgb(0 0 0 / 0.6);
  --clientela-backdrop: rgb(2 6 23 / 0.7);
`;

export const themeTokens = css`
  :host {
    --clientela-font: 'Inter', ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    --clientela-font-size: 14px;
    --clientela-radius: 12px;
    --clientela-radius-small: 8px;
    ${light}
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
`;
