/**
 * The member's level: where lifetime points put them and how far the next
 * level is, and for those who may change points, a level set by hand
 * (locked, so automatic progression leaves it alone) or a return to
 * automatic progression.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import type { CustomerRecord } from '../api/customers.ts';
import { setLevel, type LevelAssignment } from '../api/points.ts';
import type { Level } from '../api/reference.ts';
import type { Customer } from '../api/types.ts';
import { errorMessage } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import { Provided } from '../shared/provided.ts';
import { styleProperties } from '../shared/style-properties.ts';

export interface LevelOptions {
  /** The member shown. */
  customer: () => Customer;
  /** The tenant's levels, lowest first. */
  levels: () => Level[];
  /** The server has set the level by hand or returned it to automatic. */
  onChanged: (record: CustomerRecord) => void;
}

export interface Progress {
  next: Level;
  /** Lifetime points still missing. */
  missing: number;
  /** 0–100, from the threshold of the level lifetime points reach now to the next one. */
  percent: number;
}

/** How far lifetime points are from the next level up; null at the top or without levels. */
export function progressToNext(levels: Level[], lifetimePoints: number): Progress | null {
  const next = levels.find((l) => l.minPoints > lifetimePoints);
  if (!next) return null;
  const floor = levels.filter((l) => l.minPoints <= lifetimePoints).at(-1)?.minPoints ?? 0;
  const span = next.minPoints - floor;
  const percent = span > 0 ? Math.min(100, Math.max(0, ((lifetimePoints - floor) / span) * 100)) : 0;
  return { next, missing: next.minPoints - lifetimePoints, percent };
}

export class LevelPanel {
  /** True while a change is on its way. */
  busy = false;
  private error = '';
  private readonly provided = new Provided(this.host);
  private readonly select = createRef<HTMLSelectElement>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: LevelOptions,
  ) {}

  private async assign(assignment: LevelAssignment) {
    const { client, t } = this.provided;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      this.options.onChanged(await setLevel(client, this.options.customer().id, assignment));
    } catch (err) {
      this.error = errorMessage(err, t);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private lock() {
    const select = this.select.value;
    if (select?.value) void this.assign({ levelId: select.value, locked: true });
  }

  renderProgress() {
    const c = this.options.customer();
    const levels = this.options.levels();
    const { format } = this.provided;
    const t = format.t.points;
    if (!levels.length) return nothing;
    const progress = progressToNext(levels, c.lifetimePoints);
    if (!progress) return html`<p class="progress-text top" part="progress">${icon('star')}${t.topLevel}</p>`;
    const label = t.toNext(format.number(progress.missing), progress.next.name);
    return html`<div class="progress" part="progress">
      <p class="progress-text" id="pm-progress-label">${label}</p>
      <div
        class="bar"
        role="progressbar"
        aria-labelledby="pm-progress-label"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(progress.percent)}
        aria-valuetext=${t.progressValue(format.number(c.lifetimePoints), format.number(progress.next.minPoints))}
      >
        <span
          class="fill"
          ${styleProperties({ width: `${progress.percent.toFixed(1)}%`, background: progress.next.color ?? 'var(--clientela-accent)' })}
        ></span>
      </div>
    </div>`;
  }

  render(blocked: boolean) {
    const c = this.options.customer();
    const levels = this.options.levels();
    const { format } = this.provided;
    const canWrite = this.provided.can('points:write');
    const t = format.t.points;
    const mode = c.levelLocked ? t.levelLockedHint : t.levelAutoHint;
    return html`<section class="level-panel" part="level-panel" aria-labelledby="pm-level-title">
      <h3 id="pm-level-title">${t.levelTitle}</h3>
      <p class="mode ${c.levelLocked ? 'locked' : ''}">${icon(c.levelLocked ? 'lock' : 'refresh')}<span>${mode}</span></p>
      ${canWrite && levels.length
        ? html`<div class="level-controls">
            <div class="field">
              <label for="pm-level">${t.levelSelect}</label>
              <select id="pm-level" ?disabled=${blocked || this.busy} ${ref(this.select)}>
                ${levels.map((l) => html`<option value=${l.id} ?selected=${l.id === c.levelId}>${l.name} · ${t.minPoints(format.number(l.minPoints))}</option>`)}
              </select>
            </div>
            <div class="level-actions">
              <button type="button" class="btn" part="lock-button" ?disabled=${blocked || this.busy} @click=${() => this.lock()}>
                ${icon('lock')}${c.levelLocked ? t.relock : t.lock}
              </button>
              ${c.levelLocked
                ? html`<button type="button" class="btn ghost" part="unlock-button" ?disabled=${blocked || this.busy} @click=${() => this.assign({ locked: false })}>
                    ${icon('unlock')}${t.unlock}
                  </button>`
                : nothing}
            </div>
          </div>`
        : nothing}
      ${this.error ? html`<p class="form-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}
