import { useState } from 'react';
import type { FormEvent } from 'react';
import { Icon } from '../components/Icon';

interface TagEditorProps {
  tags: readonly string[];
  busy: boolean;
  onAdd: (tag: string) => Promise<boolean>;
  onRemove: (tag: string) => void;
}

/** The item's tags as removable chips, and a field to add one (Enter). */
export function TagEditor({ tags, busy, onAdd, onRemove }: TagEditorProps) {
  const [draft, setDraft] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tag = draft.trim();
    if (tag === '' || busy) return;
    if (await onAdd(tag)) setDraft('');
  };
  return (
    <div className="tag-editor" data-testid="tag-editor">
      <ul className="tag-editor__list" aria-label="Tags">
        {tags.length === 0 && <li className="muted">No tags</li>}
        {tags.map((tag) => (
          <li key={tag} className="chip" data-testid="item-tag" data-tag={tag}>
            <span>{tag}</span>
            <button
              type="button"
              className="chip__remove"
              onClick={() => onRemove(tag)}
              disabled={busy}
              aria-label={`Remove tag ${tag}`}
              data-testid="tag-remove"
            >
              <Icon name="close" />
            </button>
          </li>
        ))}
      </ul>
      <form className="tag-editor__form" onSubmit={(e) => void submit(e)}>
        <input
          className="input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Add a tag"
          maxLength={100}
          aria-label="New tag"
          data-testid="tag-input"
        />
        <button
          type="submit"
          className="button button--small"
          disabled={busy || draft.trim() === ''}
          data-testid="tag-add"
        >
          <Icon name="plus" />
          Add
        </button>
      </form>
    </div>
  );
}
