/** Opens a native <dialog> modally and gives focus back to where it was when it closes. */

/** The focused element, looking inside shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

export function openModal(dialog: HTMLDialogElement, focus?: HTMLElement | null) {
  if (dialog.open) return;
  const previous = deepActiveElement();
  dialog.addEventListener('close', () => previous?.isConnected && previous.focus(), { once: true });
  dialog.showModal();
  focus?.focus();
}
