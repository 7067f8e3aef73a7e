import { useCallback, useEffect, useRef, useState } from 'react';
import type { Item, MediaImage } from '../../../main/api/datasets';
import { describeError } from '../api/describeError';
import { useEngine } from '../api/EngineContext';
import { Icon } from '../components/Icon';
import { useToasts } from '../notifications/ToastProvider';
import { PLAYGROUND_DRAFT_KEY } from '../playground/draft';
import { PythonEditor } from '../playground/PythonEditor';
import type { PythonEditorHandle } from '../playground/PythonEditor';
import type { TraceNode } from '../playground/traceTree';
import { routeHref } from '../routing/routes';
import { useSettings } from '../settings/SettingsProvider';
import { CaptionMarkdown } from './CaptionMarkdown';
import { NoteEditor } from './NoteEditor';
import { RerenderPanel } from './RerenderPanel';
import type { RerenderState } from './RerenderPanel';
import { TagEditor } from './TagEditor';
import { VerificationBadge } from './VerificationBadge';
import { ZoomableImage } from './ZoomableImage';

export interface ItemDetailProps {
  itemId: number;
  /** The list's copy, shown at once while the fresh one loads. */
  summary: Item | undefined;
  /** "12 of 1,000". */
  position: string;
  onClose: () => void;
  onItemChange: (item: Item) => void;
}

type ImageState =
  | { phase: 'loading' }
  | { phase: 'none' }
  | { phase: 'ready'; image: MediaImage }
  | { phase: 'failed'; message: string };

const noop = () => undefined;

/** One item: image (zoom), caption (Markdown + LaTeX), code, tags and note, and re-render against the image. */
export default function ItemDetail({ itemId, summary, position, onClose, onItemChange }: ItemDetailProps) {
  const { client } = useEngine();
  const { reportError } = useToasts();
  const { effectiveTheme } = useSettings();
  const [item, setItem] = useState<Item | undefined>(summary);
  const [loadedImage, setImage] = useState<{ sha256: string; state: ImageState } | null>(null);
  const [rerender, setRerender] = useState<RerenderState>({ phase: 'idle' });
  const [saving, setSaving] = useState(false);
  const [editable, setEditable] = useState(false);
  const editor = useRef<PythonEditorHandle>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialog.current?.focus();
  }, []);

  useEffect(() => {
    let live = true;
    client.call('items.get', { id: itemId }).then(
      (fresh) => live && setItem(fresh),
      (error: unknown) => live && reportError('Could not load the item', error),
    );
    return () => {
      live = false;
    };
  }, [client, itemId, reportError]);

  const sha256 = item?.imageSha256 ?? null;
  const loaded = item !== undefined;
  useEffect(() => {
    if (sha256 === null) return;
    let live = true;
    client.call('media.image', { sha256 }).then(
      (media) => live && setImage({ sha256, state: { phase: 'ready', image: media } }),
      (error: unknown) =>
        live && setImage({ sha256, state: { phase: 'failed', message: describeError(error).message } }),
    );
    return () => {
      live = false;
    };
  }, [client, sha256]);
  const image: ImageState =
    sha256 === null
      ? { phase: loaded ? 'none' : 'loading' }
      : loadedImage?.sha256 === sha256
        ? loadedImage.state
        : { phase: 'loading' };

  const changed = useCallback(
    (next: Item) => {
      setItem(next);
      onItemChange(next);
    },
    [onItemChange],
  );

  /** Runs an edit; a failure is a toast and leaves the item as it was. */
  const edit = async (what: string, call: () => Promise<Item>): Promise<boolean> => {
    setSaving(true);
    try {
      changed(await call());
      return true;
    } catch (error) {
      reportError(what, error);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const runRerender = async () => {
    if (!item) return;
    setRerender({ phase: 'running' });
    try {
      const result = await client.call('items.rerender', { id: item.id });
      const inline = result.render.image;
      const renderImage = !inline
        ? null
        : inline.dataUrl
          ? { sha256: inline.sha256, dataUrl: inline.dataUrl, width: inline.width, height: inline.height }
          : await client.call('media.image', { sha256: inline.sha256 }).catch(() => null);
      setRerender({ phase: 'done', result: { ...result, renderImage } });
      changed({ ...item, verification: result.verification });
    } catch (error) {
      setRerender({ phase: 'failed', error: describeError(error) });
    }
  };

  const openInPlayground = () => {
    window.localStorage.setItem(PLAYGROUND_DRAFT_KEY, editor.current?.getCode() ?? item?.code ?? '');
    window.location.hash = routeHref('playground');
  };

  const traceNode = useCallback((node: TraceNode) => {
    if (node.sourceLine !== null) editor.current?.revealLine(node.sourceLine, 'source', false);
  }, []);
  const failureLine = useCallback((line: number) => editor.current?.revealLine(line, 'error', true), []);

  const reference = image.phase === 'ready' ? image.image : null;
  return (
    <div className="detail-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="detail"
        role="dialog"
        aria-modal="true"
        aria-labelledby="detail-title"
        tabIndex={-1}
        ref={dialog}
        data-testid="item-detail"
        data-item-id={itemId}
      >
        <header className="detail__header">
          <div className="detail__heading">
            <h2 className="detail__title mono" id="detail-title" data-testid="detail-uid">
              {item?.uid ?? '…'}
            </h2>
            {item?.category && <span className="tag">{item.category}</span>}
            {item?.source && <span className="tag">{item.source}</span>}
            {item && <VerificationBadge verification={item.verification} />}
          </div>
          <span className="muted detail__position">
            {position} · <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>Esc</kbd> close
          </span>
          <button
            type="button"
            className="icon-button"
            onClick={onClose}
            aria-label="Close"
            data-testid="detail-close"
          >
            <Icon name="close" />
          </button>
        </header>
        {!item ? (
          <p className="muted detail__loading">Loading the item…</p>
        ) : (
          <div className="detail__body" data-testid="detail-body">
            <section className="detail__image" aria-label="Image">
              {image.phase === 'ready' && (
                <ZoomableImage
                  src={image.image.dataUrl}
                  width={image.image.width}
                  height={image.image.height}
                  alt={`The item's image, ${image.image.width}×${image.image.height} pixels`}
                  testId="detail-image"
                />
              )}
              {image.phase === 'loading' && <p className="detail__placeholder muted">Loading the image…</p>}
              {image.phase === 'none' && <p className="detail__placeholder muted">This item has no image.</p>}
              {image.phase === 'failed' && (
                <p className="detail__placeholder muted" data-testid="detail-image-error">
                  The image could not be shown: {image.message}
                </p>
              )}
            </section>
            <section className="detail__text" aria-label="Caption, tags and note">
              {item.question && (
                <>
                  <h3 className="detail__subtitle">Question</h3>
                  <CaptionMarkdown text={item.question} />
                  {item.choices && (
                    <ol className="detail__choices" type="A">
                      {item.choices.map((c, i) => (
                        <li key={i}>{c}</li>
                      ))}
                    </ol>
                  )}
                  {item.answer && (
                    <p>
                      <strong>Answer:</strong> {item.answer}
                    </p>
                  )}
                </>
              )}
              <h3 className="detail__subtitle">Caption</h3>
              {item.caption ? <CaptionMarkdown text={item.caption} /> : <p className="muted">No caption.</p>}
              <h3 className="detail__subtitle">Tags</h3>
              <TagEditor
                tags={item.tags}
                busy={saving}
                onAdd={(tag) =>
                  edit(`Could not tag the item "${tag}"`, () =>
                    client.call('items.tag', { id: item.id, tag }),
                  )
                }
                onRemove={(tag) =>
                  void edit(`Could not remove the tag "${tag}"`, () =>
                    client.call('items.untag', { id: item.id, tag }),
                  )
                }
              />
              <h3 className="detail__subtitle">Note</h3>
              <NoteEditor
                note={item.note}
                busy={saving}
                onSave={(note) =>
                  edit('Could not save the note', () => client.call('items.setNote', { id: item.id, note }))
                }
              />
            </section>
            <section className="detail__code" aria-label="Code">
              <div className="detail__toolbar">
                <h3 className="detail__subtitle">Code</h3>
                <label className="detail__toggle">
                  <input
                    type="checkbox"
                    checked={editable}
                    onChange={(e) => setEditable(e.target.checked)}
                    data-testid="code-editable"
                  />
                  Editable
                </label>
                <button
                  type="button"
                  className="button button--small button--ghost"
                  onClick={openInPlayground}
                  disabled={!item.code}
                >
                  <Icon name="code" />
                  Open in playground
                </button>
              </div>
              {item.code ? (
                <div className="detail__editor">
                  <PythonEditor
                    ref={editor}
                    initialCode={item.code}
                    dark={effectiveTheme === 'dark'}
                    onRun={noop}
                    onChange={noop}
                    label={`Code of ${item.uid}`}
                    readOnly={!editable}
                    testId="detail-code"
                  />
                </div>
              ) : (
                <p className="muted">This item has no code.</p>
              )}
            </section>
            <section className="detail__rerender" aria-label="Re-render">
              <div className="detail__toolbar">
                <h3 className="detail__subtitle">Re-render</h3>
                <button
                  type="button"
                  className="button button--primary button--small"
                  onClick={() => void runRerender()}
                  disabled={!item.code || rerender.phase === 'running'}
                  data-testid="rerender"
                >
                  <Icon name="refresh" />
                  Re-render
                </button>
              </div>
              <RerenderPanel
                state={rerender}
                reference={reference}
                onTraceNode={traceNode}
                onFailureLine={failureLine}
              />
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
