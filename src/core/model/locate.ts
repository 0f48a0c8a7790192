// Maps a path in the parsed data back to a line and column in the YAML source.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export interface Position {
  line: number;
  column: number;
}

export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private pos(offset: number | undefined): Position {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The node at `path`, or the deepest existing ancestor when the path does not exist. */
  private nodeAt(path: readonly (string | number)[]): { node: Node | null; depth: number } {
    let node = this.doc.contents as Node | null;
    let depth = 0;
    for (const seg of path) {
      const next = isMap(node) || isSeq(node) ? (node.get(seg, true) as Node | undefined) : undefined;
      if (!next) break;
      node = next;
      depth++;
    }
    return { node, depth };
  }

  /** Where the value at `path` starts (or its nearest existing ancestor). */
  value(path: readonly (string | number)[]): Position {
    return this.pos(this.nodeAt(path).node?.range?.[0]);
  }

  /** Where the key `key` of the mapping at `path` starts: for "unknown key" problems. */
  key(path: readonly (string | number)[], key: string): Position {
    const { node } = this.nodeAt(path);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key)) return this.pos(pair.key.range?.[0]);
    }
    return this.pos(node?.range?.[0]);
  }
}
