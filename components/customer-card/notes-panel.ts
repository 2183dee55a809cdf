/** The card's notes: newest first, add with light formatting, delete with a confirmation. */
import { Task, initialState } from '@lit/task';
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ClientelaClient } from '../api/client.ts';
import { addNote, deleteNote, listNotes, type Note } from '../api/notes.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { errorMessage, renderAsync, renderEmpty } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import { listSelection, noteToHtml, wrapSelection } from './note-format.ts';

export interface NotesHost extends ReactiveControllerHost, HTMLElement {
  client?: ClientelaClient;
  /** The customer shown (after a merge redirect, the survivor rather than the id asked for). */
  shownId: string;
  canWriteNotes: boolean;
  renderRoot: HTMLElement | DocumentFragment;
  format: Formatter;
  announce(message: string): void;
}

export class NotesPanel {
  private notes: Note[] = [];
  private busy = false;
  private formError = '';
  private confirming: string | null = null;
  readonly task: Task<readonly [ClientelaClient | undefined, string], Note[]>;

  constructor(private readonly host: NotesHost) {
    this.task = new Task(host, {
      args: () => [host.client, host.shownId] as const,
      task: async ([client, id], { signal }) => {
        if (!client || !id) return initialState;
        this.notes = await listNotes(client, id, signal);
        // A reload (a live update) keeps a pending confirmation while its note is still there.
        if (!this.notes.some((n) => n.id === this.confirming)) this.confirming = null;
        return this.notes;
      },
    });
  }

  private get textarea() {
    return this.host.renderRoot.querySelector<HTMLTextAreaElement>('#note-body');
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const area = this.textarea;
    const { client, shownId: customerId, format } = this.host;
    if (!area || !client) return;
    if (!area.value.trim()) {
      this.formError = format.t.notes.emptyBody;
      this.host.requestUpdate();
      return;
    }
    this.busy = true;
    this.formError = '';
    this.host.requestUpdate();
    try {
      const note = await addNote(client, customerId, noteToHtml(area.value));
      this.notes = [note, ...this.notes.filter((n) => n.id !== note.id)];
      area.value = '';
      this.host.announce(format.t.notes.added);
    } catch (err) {
      this.formError = errorMessage(err, format.t);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private async remove(note: Note) {
    const { client, shownId: customerId, format } = this.host;
    if (!client) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      await deleteNote(client, customerId, note.id);
      this.notes = this.notes.filter((n) => n.id !== note.id);
      this.confirming = null;
      this.host.announce(format.t.notes.deleted);
      this.host.renderRoot.querySelector<HTMLElement>('#note-body, .notes-panel h3')?.focus();
    } catch (err) {
      this.host.announce(errorMessage(err, format.t));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private confirm(noteId: string | null) {
    this.confirming = noteId;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.host.renderRoot.querySelector<HTMLElement>(noteId ? `[data-note="${noteId}"] .confirm .btn` : '#note-body')?.focus(),
    );
  }

  private renderNote(note: Note) {
    const { format, canWriteNotes } = this.host;
    const t = format.t.notes;
    return html`<li class="note" data-note=${note.id} part="note">
      <div class="note-meta">
        <span>${t.by(note.author?.name ?? format.t.common.none, format.relative(note.createdAt))}</span>
        ${canWriteNotes && this.confirming !== note.id
          ? html`<button type="button" class="btn ghost icon-only small" aria-label=${t.delete} @click=${() => this.confirm(note.id)}>${icon('trash')}</button>`
          : nothing}
      </div>
      <div class="note-body">${unsafeHTML(note.body)}</div>
      ${this.confirming === note.id
        ? html`<div class="confirm" role="group" aria-label=${t.confirmDelete}>
            <span>${t.confirmDelete}</span>
            <button type="button" class="btn small danger" ?disabled=${this.busy} @click=${() => this.remove(note)}>${format.t.common.delete}</button>
            <button type="button" class="btn small" @click=${() => this.confirm(null)}>${format.t.common.cancel}</button>
          </div>`
        : nothing}
    </li>`;
  }

  private renderForm() {
    const t = this.host.format.t.notes;
    const tool = (label: string, name: Parameters<typeof icon>[0], apply: (area: HTMLTextAreaElement) => void) =>
      html`<button type="button" class="btn ghost icon-only small" aria-label=${label} title=${label} @click=${() => this.textarea && apply(this.textarea)}>
        ${icon(name)}
      </button>`;
    return html`<form class="note-form" @submit=${(e: SubmitEvent) => this.submit(e)}>
      <label for="note-body" class="visually-hidden">${t.label}</label>
      <div class="note-editor">
        <div class="toolbar" role="toolbar" aria-label=${t.formatting}>
          ${tool(t.bold, 'bold', (a) => wrapSelection(a, '**', '**', t.bold))}
          ${tool(t.italic, 'italic', (a) => wrapSelection(a, '_', '_', t.italic))}
          ${tool(t.list, 'list', listSelection)}
          ${tool(t.link, 'link', (a) => wrapSelection(a, '[', '](https://)', t.link))}
        </div>
        <textarea
          id="note-body"
          rows="3"
          maxlength="10000"
          placeholder=${t.placeholder}
          aria-describedby="note-hint${this.formError ? ' note-error' : ''}"
          aria-invalid=${this.formError ? 'true' : 'false'}
        ></textarea>
      </div>
      <span class="hint" id="note-hint">${t.hint}</span>
      ${this.formError ? html`<span class="field-error" id="note-error">${this.formError}</span>` : nothing}
      <div><button type="submit" class="btn small primary" ?disabled=${this.busy}>${icon('plus')}${t.add}</button></div>
    </form>`;
  }

  render() {
    const { format, canWriteNotes } = this.host;
    const t = format.t.notes;
    return html`<section class="panel notes-panel" aria-labelledby="notes-title" part="notes">
      <h3 id="notes-title" tabindex="-1">${t.title}</h3>
      ${canWriteNotes ? this.renderForm() : nothing}
      ${renderAsync(this.task, format.t, {
        complete: () => html`<ul class="notes">${this.notes.map((note) => this.renderNote(note))}</ul>`,
        isEmpty: () => this.notes.length === 0,
        empty: () => renderEmpty(t.empty),
      })}
    </section>`;
  }
}
