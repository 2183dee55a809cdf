/**
 * The one way every component shows loading, error and empty states around
 * an @lit/task: the same markup, the same live regions, the same retry.
 * While a task reloads with a value already shown, the value stays on screen.
 */
import type { Task } from '@lit/task';
import { TaskStatus } from '@lit/task';
import { css, html, nothing, type TemplateResult } from 'lit';
import { ApiError } from '../api/api-error.ts';
import type { Translation } from '../i18n/en.ts';
import { icon } from './icons.ts';

export interface AsyncViews<T> {
  complete: (value: T) => TemplateResult | typeof nothing;
  isEmpty?: (value: T) => boolean;
  empty?: () => TemplateResult;
}

/** The message a person should read for an error, in their language. */
export function errorMessage(err: unknown, t: Translation): string {
  if (!(err instanceof ApiError)) return t.errors.server;
  if (err.code === 'no_token') return t.errors.noToken;
  if (err.code === 'not_api') return t.errors.notApi(String(err.extra.apiBase));
  switch (err.status) {
    case 0:
      return t.errors.network;
    case 401:
      return t.errors.unauthorized;
    case 403:
      return t.errors.forbidden;
    case 404:
      return t.errors.notFound;
    case 409:
    case 412:
      return t.errors.conflict;
    case 422:
      return t.errors.validation(Math.max(1, err.details.length));
    default:
      return err.status >= 500 ? t.errors.server : err.message;
  }
}

export function renderLoading(t: Translation) {
  return html`<div class="state loading" role="status" aria-live="polite" part="state loading">
    <span class="spinner" aria-hidden="true"></span><span>${t.common.loading}</span>
  </div>`;
}

export function renderError(err: unknown, t: Translation, retry?: () => void) {
  return html`<div class="state error" role="alert" part="state error">
    ${icon('alert')}
    <div class="state-text">
      <strong>${t.common.errorTitle}</strong>
      <p>${errorMessage(err, t)}</p>
    </div>
    ${retry ? html`<button type="button" class="btn small" @click=${retry}>${icon('refresh')}${t.common.retry}</button>` : nothing}
  </div>`;
}

export function renderEmpty(message: string, hint?: string) {
  return html`<div class="state empty" role="status" part="state empty">
    ${icon('users')}
    <div class="state-text">
      <strong>${message}</strong>
      ${hint ? html`<p>${hint}</p>` : nothing}
    </div>
  </div>`;
}

export function renderAsync<T>(task: Task<readonly unknown[], T>, t: Translation, views: AsyncViews<T>) {
  const value = task.value;
  if (task.status === TaskStatus.ERROR) return renderError(task.error, t, () => task.run());
  if (value === undefined) return renderLoading(t);
  if (views.isEmpty?.(value)) return views.empty?.() ?? renderEmpty(t.common.emptyTitle);
  return views.complete(value);
}

export const stateStyles = css`
  .state {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 12px;
    padding: 28px 20px;
    color: var(--clientela-text-muted);
    text-align: left;
  }
  .state.error {
    color: var(--clientela-danger-text, #b91c1c);
    background: var(--clientela-danger-soft, #fef2f2);
    border-radius: var(--clientela-radius-small, 8px);
    justify-content: flex-start;
    padding: 14px 16px;
  }
  .state.error .btn {
    margin-left: auto;
  }
  .state.empty {
    flex-direction: column;
    text-align: center;
    padding: 48px 20px;
  }
  .state.empty svg.icon {
    width: 28px;
    height: 28px;
    opacity: 0.6;
  }
  .state-text {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .state-text strong {
    color: inherit;
    font-weight: 650;
  }
  .state.empty .state-text strong {
    color: var(--clientela-text);
  }
  .spinner {
    width: 18px;
    height: 18px;
    border-radius: 50%;
    border: 2px solid var(--clientela-border-strong, #cbd5e1);
    border-top-color: var(--clientela-accent, #4f46e5);
    animation: clientela-spin 0.8s linear infinite;
  }
  @keyframes clientela-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 2.4s;
    }
  }
`;
