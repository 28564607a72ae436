import { useEffect, useRef } from 'react';
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';

/**
 * Asked before a form with changes closes (Escape, Cancel, a click outside it). "Keep editing" is the
 * default and what Escape means here, so nothing typed is lost by a reflex.
 */
export function DiscardChanges(props: { isOpen: boolean; onKeepEditing: () => void; onDiscard: () => void }) {
  return (
    <ModalTransition>
      {props.isOpen ? (
        <Modal onClose={props.onKeepEditing} width="small" label="Discard changes?">
          <ModalHeader>
            <ModalTitle>Discard changes?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <p>What you typed in this form has not been saved. Discarding closes the form and loses it.</p>
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={props.onKeepEditing} autoFocus>
              Keep editing
            </Button>
            <Button appearance="warning" onClick={props.onDiscard}>
              Discard
            </Button>
          </ModalFooter>
        </Modal>
      ) : null}
    </ModalTransition>
  );
}

/**
 * Whether the Escape key now being handled belongs to an open dropdown (an Atlaskit Select menu, the
 * event picker): such a key closes only the dropdown. Read in the capture phase, before react-select
 * closes its menu, since afterwards nothing tells the two Escapes apart.
 */
export function useEscapeClaimedByDropdown(): () => boolean {
  const claimed = useRef(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const active = document.activeElement;
      claimed.current = active instanceof HTMLElement && active.getAttribute('aria-expanded') === 'true';
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === 'Escape') claimed.current = false;
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
    };
  }, []);
  return () => claimed.current;
}
