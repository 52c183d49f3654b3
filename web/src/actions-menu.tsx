import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from './router';

/** One entry of a row's actions menu: a link to another page, or a button that acts here. */
export type RowAction = { label: string; href: string } | { label: string; onSelect(): void; danger?: boolean };

/** Which item takes the focus when the menu opens: ArrowUp on the button opens it at the last. */
type Opening = 'first' | 'last';

const GAP = 4;
const MARGIN = 8;

/**
 * A table row's actions behind one "Actions" button (the ARIA menu button pattern), so a row of
 * many actions keeps its table narrow. Absent actions (false, null) are left out.
 */
export function ActionsMenu({ rowName, actions }: { rowName: string; actions: readonly (RowAction | false | null | undefined)[] }) {
  const items = actions.filter((a): a is RowAction => Boolean(a));
  const [opening, setOpening] = useState<Opening | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();
  const open = opening !== null;

  const close = (refocus: boolean) => {
    if (refocus) buttonRef.current?.focus();
    setOpening(null);
  };

  // Before the first paint of the open menu: place it by the button and focus its first (or last) item.
  useLayoutEffect(() => {
    if (!opening) return;
    placeMenu(buttonRef.current!, menuRef.current!);
    const entries = menuItems(menuRef.current!);
    entries[opening === 'first' ? 0 : entries.length - 1]?.focus({ preventScroll: true });
  }, [opening]);

  // The menu is fixed to the viewport (a table's scrolling wrapper would clip it): it follows its button.
  useEffect(() => {
    if (!open) return;
    const follow = () => placeMenu(buttonRef.current!, menuRef.current!);
    const closeOutside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpening(null);
    };
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    document.addEventListener('pointerdown', closeOutside);
    return () => {
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
      document.removeEventListener('pointerdown', closeOutside);
    };
  }, [open]);

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    setOpening(e.key === 'ArrowDown' ? 'first' : 'last');
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const entries = menuItems(e.currentTarget);
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const moveTo = (index: number) => {
      e.preventDefault();
      entries[(index + entries.length) % entries.length]?.focus();
    };
    if (e.key === 'ArrowDown') moveTo(at + 1);
    else if (e.key === 'ArrowUp') moveTo(at - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(entries.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') {
      // From the button, the browser's own Tab then moves on to the next control of the page.
      close(true);
    } else if (e.key === ' ' && e.target instanceof HTMLAnchorElement) {
      // Space chooses a menu item, links included (a link alone ignores it).
      e.preventDefault();
      e.target.click();
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="button secondary small"
        aria-label={`Actions for ${rowName}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpening('first'))}
        onKeyDown={onButtonKey}
      >
        Actions <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={buttonId}
          className="actions-menu"
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            const to = e.relatedTarget;
            if (to && !e.currentTarget.contains(to) && to !== buttonRef.current) setOpening(null);
          }}
        >
          {items.map((a) =>
            'href' in a ? (
              <Link key={a.label} role="menuitem" tabIndex={-1} className="actions-menu-item" href={a.href} onClick={() => setOpening(null)}>
                {a.label}
              </Link>
            ) : (
              <button
                key={a.label}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={a.danger ? 'actions-menu-item danger-text' : 'actions-menu-item'}
                onClick={() => {
                  // Back on the button first, so a dialog the action opens returns the focus there.
                  close(true);
                  a.onSelect();
                }}
              >
                {a.label}
              </button>
            ),
          )}
        </div>
      )}
    </>
  );
}

function menuItems(menu: HTMLElement): HTMLElement[] {
  return Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]'));
}

/** Under the button, right edges aligned; above it when there is no room below; always inside the viewport. */
function placeMenu(button: HTMLElement, menu: HTMLElement): void {
  const anchor = button.getBoundingClientRect();
  const { clientWidth, clientHeight } = document.documentElement;
  const below = anchor.bottom + GAP;
  const above = anchor.top - GAP - menu.offsetHeight;
  const top = below + menu.offsetHeight <= clientHeight || above < 0 ? below : above;
  const left = Math.max(MARGIN, Math.min(anchor.right - menu.offsetWidth, clientWidth - menu.offsetWidth - MARGIN));
  menu.style.top = `${top}px`;
  menu.style.left = `${left}px`;
}
