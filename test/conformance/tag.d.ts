// Types of tag.js (plain JS so that workerd runs it unmodified).
export function tag(value: unknown, cf?: unknown): unknown;
export function tagError(error: unknown, cf?: unknown): unknown;
export function normText(text: unknown): unknown;
