import { useThumbnail } from './useThumbnail';

interface ItemThumbProps {
  sha256: string | null;
  /** Longest side the thumbnail is drawn at, in CSS pixels. */
  size: number;
}

/** An item's thumbnail, or a quiet placeholder while it loads and when there is no image to show. */
export function ItemThumb({ sha256, size }: ItemThumbProps) {
  const thumbnail = useThumbnail(sha256);
  const style = { width: size, height: size };
  if (thumbnail) {
    return <img className="item-thumb" src={thumbnail} alt="" style={style} draggable={false} />;
  }
  const state = thumbnail === undefined ? 'loading' : 'none';
  return (
    <span
      className={`item-thumb item-thumb--placeholder item-thumb--${state}`}
      style={style}
      title={state === 'none' ? (sha256 ? 'No thumbnail available' : 'This item has no image') : undefined}
      data-testid="thumb-placeholder"
      data-state={state}
    >
      {state === 'none' ? (sha256 ? 'no preview' : 'no image') : ''}
    </span>
  );
}
