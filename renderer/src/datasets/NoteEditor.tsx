import { useState } from 'react';

interface NoteEditorProps {
  note: string | null;
  busy: boolean;
  onSave: (note: string | null) => Promise<boolean>;
}

/** A free-text note; Save is enabled once it differs from the stored one (an empty note removes it). */
export function NoteEditor({ note, busy, onSave }: NoteEditorProps) {
  const stored = note ?? '';
  const [draft, setDraft] = useState(stored);
  const [base, setBase] = useState(stored);
  // Another item (or a saved note) replaces the draft, unless the user is still editing this one.
  if (stored !== base) {
    setBase(stored);
    if (draft === base) setDraft(stored);
  }
  const dirty = draft !== stored;
  return (
    <div className="note-editor">
      <textarea
        className="input note-editor__text"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        rows={3}
        placeholder="Notes on this item"
        aria-label="Note"
        data-testid="note-input"
      />
      <div className="note-editor__actions">
        {dirty && <span className="muted">Unsaved</span>}
        <button
          type="button"
          className="button button--small"
          disabled={!dirty || busy}
          onClick={() => void onSave(draft.trim() === '' ? null : draft)}
          data-testid="note-save"
        >
          Save note
        </button>
      </div>
    </div>
  );
}
