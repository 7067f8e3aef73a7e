import { python } from '@codemirror/lang-python';
import { HighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec, StateEffect, StateField } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap } from '@codemirror/view';
import type { DecorationSet } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';

/** Why a line is marked: the failure's line, or the line that drew the trace node picked. */
export type LineMark = 'error' | 'source';

export interface PythonEditorHandle {
  getCode(): string;
  setCode(code: string): void;
  /** Scrolls to a line and marks it; with `moveCursor` the cursor goes there and the editor takes focus. */
  revealLine(line: number, mark: LineMark, moveCursor: boolean): void;
  clearMark(): void;
}

interface PythonEditorProps {
  initialCode: string;
  dark: boolean;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun: () => void;
  onChange: (code: string) => void;
  label: string;
  /** Shown, searchable and selectable, but not editable (the dataset browser's default). */
  readOnly?: boolean;
  testId?: string;
  ref: Ref<PythonEditorHandle>;
}

const setMark = StateEffect.define<{ pos: number; mark: LineMark } | null>();

const markField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setMark)) continue;
      next = effect.value
        ? Decoration.set(
            Decoration.line({ class: `cm-markedLine cm-markedLine--${effect.value.mark}` }).range(
              effect.value.pos,
            ),
          )
        : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// Colours are the app's CSS variables, so the editor follows the light/dark theme without reconfiguring.
const highlightStyle = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword],
    color: 'var(--code-keyword)',
  },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--code-number)' },
  { tag: tags.comment, color: 'var(--code-comment)', fontStyle: 'italic' },
  {
    tag: [tags.function(tags.variableName), tags.function(tags.propertyName)],
    color: 'var(--code-function)',
  },
  { tag: [tags.definition(tags.variableName), tags.className], color: 'var(--code-definition)' },
  { tag: [tags.operator, tags.punctuation], color: 'var(--code-operator)' },
  { tag: tags.self, color: 'var(--code-keyword)' },
]);

const editorTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--surface)', color: 'var(--text)', fontSize: '12.5px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--text-faint)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--surface-hover)', color: 'var(--text)' },
  '.cm-activeLine': { backgroundColor: 'var(--code-active-line)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection':
    { backgroundColor: 'var(--code-selection)' },
  '.cm-matchingBracket': {
    backgroundColor: 'var(--code-selection)',
    outline: '1px solid var(--border-strong)',
  },
  '.cm-markedLine--error': {
    backgroundColor: 'var(--error-soft)',
    boxShadow: 'inset 3px 0 0 var(--error)',
  },
  '.cm-markedLine--source': {
    backgroundColor: 'var(--accent-soft)',
    boxShadow: 'inset 3px 0 0 var(--accent)',
  },
  '.cm-panels': { backgroundColor: 'var(--surface-2)', color: 'var(--text)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', border: '1px solid var(--border-strong)' },
});

/** A CodeMirror 6 Python editor: line numbers, highlighting, search, brackets, undo, and marked lines. */
export function PythonEditor(props: PythonEditorProps) {
  const {
    initialCode,
    dark,
    onRun,
    onChange,
    label,
    readOnly = false,
    testId = 'playground-editor',
    ref,
  } = props;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const darkness = useRef(new Compartment());
  const readOnliness = useRef(new Compartment());
  // The editor is built once; the latest callbacks are read through refs.
  const callbacks = useRef({ onRun, onChange });
  useEffect(() => {
    callbacks.current = { onRun, onChange };
  }, [onRun, onChange]);
  const initial = useRef({ code: initialCode, dark, label, readOnly });

  useEffect(() => {
    const { code, dark: startDark, label: ariaLabel, readOnly: startReadOnly } = initial.current;
    const extensions: Extension[] = [
      Prec.highest(
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              callbacks.current.onRun();
              return true;
            },
          },
        ]),
      ),
      basicSetup,
      python(),
      indentUnit.of('    '),
      syntaxHighlighting(highlightStyle),
      editorTheme,
      darkness.current.of(EditorView.darkTheme.of(startDark)),
      readOnliness.current.of(EditorState.readOnly.of(startReadOnly)),
      markField,
      EditorView.contentAttributes.of({ 'aria-label': ariaLabel }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
      }),
    ];
    const editor = new EditorView({
      state: EditorState.create({ doc: code, extensions }),
      parent: host.current!,
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: darkness.current.reconfigure(EditorView.darkTheme.of(dark)) });
  }, [dark]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnliness.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  useImperativeHandle(
    ref,
    () => ({
      getCode: () => view.current?.state.doc.toString() ?? '',
      setCode(code) {
        const editor = view.current;
        if (!editor) return;
        editor.dispatch({
          changes: { from: 0, to: editor.state.doc.length, insert: code },
          effects: setMark.of(null),
        });
      },
      revealLine(line, mark, moveCursor) {
        const editor = view.current;
        if (!editor) return;
        const { doc } = editor.state;
        const target = doc.line(Math.min(Math.max(1, line), doc.lines));
        editor.dispatch({
          ...(moveCursor ? { selection: { anchor: target.from } } : {}),
          effects: [
            setMark.of({ pos: target.from, mark }),
            EditorView.scrollIntoView(target.from, { y: 'center' }),
          ],
        });
        if (moveCursor) editor.focus();
      },
      clearMark() {
        view.current?.dispatch({ effects: setMark.of(null) });
      },
    }),
    [],
  );

  return <div className="python-editor" ref={host} data-testid={testId} data-readonly={readOnly} />;
}
