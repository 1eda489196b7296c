/**
 * A position in a store's change feed, as the string the PaperStore interface hands out: the store's
 * identity (made once, when its schema is created) and a position that only that store understands.
 * A cursor kept with a search index snapshot is continued only from the store that made it: a database
 * recreated under the same file or URL starts its positions again, and would otherwise silently skip
 * every paper up to the old position.
 */
export function formatCursor(identity: string, position: string): string {
  return `${identity}.${position}`;
}

/** The position in `cursor`, which must be this store's (`identity`) and match `position`. */
export function positionOf(cursor: string, identity: string, position: RegExp): string {
  const dot = cursor.lastIndexOf('.');
  const [owner, at] = [cursor.slice(0, dot), cursor.slice(dot + 1)];
  if (dot < 0 || !position.test(at)) throw new RangeError(`not a change cursor: ${cursor.slice(0, 80)}`);
  if (owner !== identity) throw new RangeError(`a change cursor of another store (${owner.slice(0, 40)}), not of this one (${identity})`);
  return at;
}
