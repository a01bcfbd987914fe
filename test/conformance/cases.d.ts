// Types of cases.js for the TypeScript side of the suite (the battery itself is plain JS so that
// workerd runs it unmodified).

/** A behaviour where edgebind deliberately differs from workerd (docs/COMPATIBILITY.md). */
export interface Choice {
  /** Whose implementation decides the outcome: the caller's, the callee's, or either's. */
  readonly side: "caller" | "callee" | "either" | "workerd-caller";
  /** The key of the choice in docs/COMPATIBILITY.md. */
  readonly why: string;
  /** The report edgebind gives when that side is edgebind. */
  readonly value: unknown;
}

export interface Case {
  readonly name: string;
  /** The row(s) of the semantics reference the case covers. */
  readonly row: string;
  readonly about?: string;
  readonly ours?: Choice;
  run(t: unknown): unknown;
}

export const cases: readonly Case[];
