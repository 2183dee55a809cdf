/** The card's notes: newest first, add with light formatting, delete with a confirmation. */
import { Task, initialState } from '@lit/task';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ClientelaClient } from '../api/client.ts';
import { addNote, deleteNote, listNotes, type Note } from '../api/notes.ts';
import type { Announcer } from '../shared/announcer.ts';
import { errorMessage, renderAsync, renderEmpty } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import { Provided } from '../shared/provided.ts';
import { listSelection, noteToHtml, wrapSelection } from './note-format.ts';

export interface NotesOptions {
  /** The customer shown (after a merge redirect, the survivor rather than the id asked for). */
  customerId: () => string;
  announcer: Announcer;
}

export class NotesPanel implements ReactiveController {
  private readonly provided = new Provided(this.host);
  private readonly task: Task<readonly [ClientelaClient | undefined, string], Note[]>;
  /** The notes on screen: the last list read, with the adds and deletes made here since. */
  private notes: Note[] = [];
  private read: Note[] | undefined;
  private busy = false;
  private formError = '';
  private confirming: string | null = null;
  private readonly textarea = createRef<HTMLTextAreaElement>();
  private readonly heading = createRef<HTMLElement>();
  private readonly confirmButton = createRef<HTMLElement>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: NotesOptions,
  ) {
    host.addController(this);
    this.task = new Task(host, {
      args: () => [this.provided.client, options.customerId()] as const,
      task: async ([client, id], { signal }) => (client && id ? listNotes(client, id, signal) : initialState),
    });
  }

  hostUpdate(): void {
    const read = this.task.value;
    if (read === this.read) return;
    this.read = read;
    this.notes = read ?? [];
    // A reload (a live update) keeps a pending confirmation while its note is still there.
    if (!this.notes.some((n) => n.id === this.confirming)) this.confirming = null;
  }

  /** Reads the notes again (they changed elsewhere). */
  reload() {
    return this.task.run();
  }

  private update() {
    this.host.requestUpdate();
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const area = this.textarea.value;
    const { client, t } = this.provided;
    if (!area || !client) return;
    if (!area.value.trim()) {
      this.formError = t.notes.emptyBody;
      this.update();
      return;
    }
    this.busy = true;
    this.formError = '';
    this.update();
    try {
      const note = await addNote(client, this.options.customerId(), noteToHtml(area.value));
      this.notes = [note, ...this.notes.filter((n) => n.id !== note.id)];
      area.value = '';
      this.options.announcer.announce(t.notes.added);
    } catch (err) {
      this.formError = errorMessage(err, t);
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private async remove(note: Note) {
    const { client, t } = this.provided;
    if (!client) return;
    this.busy = true;
    this.update();
    try {
      await deleteNote(client, this.options.customerId(), note.id);
      this.notes = this.notes.filter((n) => n.id !== note.id);
      this.confirming = null;
      this.options.announcer.announce(t.notes.deleted);
      (this.textarea.value ?? this.heading.value)?.focus();
    } catch (err) {
      this.options.announcer.announce(errorMessage(err, t));
    } finally {
      this.busy = false;
      this.update();
    }
  }

  private confirm(noteId: string | null) {
    this.confirming = noteId;
    this.update();
    void this.host.updateComplete.then(() => (noteId ? this.confirmButton.value : this.textarea.value)?.focus());
  }

  private renderNote(note: Note, canWrite: boolean) {
    const { format } = this.provided;
    const t = format.t.notes;
    return html`<li class="note" data-note=${note.id} part="note">
      <div class="note-meta">
        <span>${t.by(note.author?.name ?? format.t.common.none, format.relative(note.createdAt))}</span>
        ${canWrite && this.confirming !== note.id
          ? html`<button type="button" class="btn ghost icon-only small" aria-label=${t.delete} @click=${() => this.confirm(note.id)}>${icon('trash')}</button>`
          : nothing}
      </div>
      <div class="note-body">${unsafeHTML(note.body)}</div>
      ${this.confirming === note.id
        ? html`<div class="confirm" role="group" aria-label=${t.confirmDelete}>
            <span>${t.confirmDelete}</span>
            <button type="button" class="btn small danger" ?disabled=${this.busy} ${ref(this.confirmButton)} @click=${() => this.remove(note)}>
              ${format.t.common.delete}
            </button>
            <button type="button" class="btn small" @click=${() => this.confirm(null)}>${format.t.common.cancel}</button>
          </div>`
        : nothing}
    </li>`;
  }

  private renderForm() {
    const t = this.provided.t.notes;
    const tool = (label: string, name: Parameters<typeof icon>[0], apply: (area: HTMLTextAreaElement) => void) =>
      html`<button type="button" class="btn ghost icon-only small" aria-label=${label} title=${label} @click=${() => this.textarea.value && apply(this.textarea.value)}>
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
          ${ref(this.textarea)}
        ></textarea>
      </div>
      <span class="hint" id="note-hint">${t.hint}</span>
      ${this.formError ? html`<span class="field-error" id="note-error">${this.formError}</span>` : nothing}
      <div><button type="submit" class="btn small primary" ?disabled=${this.busy}>${icon('plus')}${t.add}</button></div>
    </form>`;
  }

  render() {
    const { format } = this.provided;
    const t = format.t.notes;
    const canWrite = this.provided.can('customers:write');
    return html`<section class="panel notes-panel" aria-labelledby="notes-title" part="notes">
      <h3 id="notes-title" tabindex="-1" ${ref(this.heading)}>${t.title}</h3>
      ${canWrite ? this.renderForm() : nothing}
      ${renderAsync(this.task, format.t, {
        complete: () => html`<ul class="notes">${this.notes.map((note) => this.renderNote(note, canWrite))}</ul>`,
        isEmpty: () => this.notes.length === 0,
        empty: () => renderEmpty(t.empty),
      })}
    </section>`;
  }
}
