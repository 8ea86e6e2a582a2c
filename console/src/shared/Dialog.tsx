import { type ReactNode, useEffect, useRef } from 'react';
import { useMessages } from './i18n';
import { sharedMessages } from './messages';

/**
 * A modal pop-up (the seeds' "Add Credit", "Top Up" and success pop-ups) on the native <dialog>
 * element: focus stays inside, Escape closes it, and role "dialog" carries its title for tests and
 * screen readers.
 */
export function Dialog({ title, onClose, children, footer }: { title: string; onClose(): void; children: ReactNode; footer?: ReactNode }) {
  const text = useMessages(sharedMessages);
  const element = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = element.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={element} className="dialog" aria-label={title} onCancel={(event) => (event.preventDefault(), onClose())}>
      <header>
        <h2>{title}</h2>
        <button type="button" className="dialog-close" aria-label={text.close} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer>{footer}</footer>}
    </dialog>
  );
}
