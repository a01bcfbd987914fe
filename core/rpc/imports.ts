// Capabilities the peer hosts, as this side holds them: an import (by the peer's export id),
// a promise the peer exported, which learns its resolution through Resolve, and the resolution
// state such a promise shares with a pipelined capability (questions.ts' PipelineHook).

import type { MessageTarget } from "../../protocol/rpc-model.ts";
import type { RpcConnection } from "./connection.ts";
import type { RpcError } from "./errors.ts";
import { BrokenHook, type CallHandle, Hook, type InCall, mostResolved, NullHook, type OutCall, toOutCall } from "./hooks.ts";

/** A capability the peer hosts, by import id. */
export class ImportHook extends Hook {
  private broken: RpcError | null = null;

  constructor(
    readonly connection: RpcConnection,
    readonly importId: number,
  ) {
    super();
  }

  override get brand(): object | null {
    return this.connection;
  }

  breakWith(error: RpcError): void {
    this.broken = error;
  }

  /** Calls can go to the peer (the connection has not closed under it). */
  get usable(): boolean {
    return this.broken === null && !this.connection.isClosed;
  }

  call(call: OutCall): CallHandle {
    if (this.broken) return new BrokenHook(this.broken).call(call);
    return this.connection.sendCall({ type: "importedCap", importedCap: this.importId }, call);
  }

  deliver(call: InCall): CallHandle {
    return this.call(toOutCall(call));
  }

  protected override destroy(): void {
    if (!this.broken) this.connection.releaseImport(this.importId, this);
  }
}

/**
 * What a promise pointing at the peer knows about its resolution. If calls were already sent to
 * the promise and it resolves to a capability not on this connection, new calls must wait until
 * those have come back around (an embargo), or they could overtake them.
 */
export class Resolution {
  target: Hook | null = null;
  callsSent = false;
  private waiters: (() => void)[] = [];

  whenSettled(): Promise<void> {
    if (this.target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  settle(connection: RpcConnection, promiseTarget: () => MessageTarget, target: Hook): void {
    const needsEmbargo =
      this.callsSent && !connection.isClosed && !(target instanceof BrokenHook) && mostResolved(target).brand !== connection;
    this.target = needsEmbargo ? connection.embargo(promiseTarget(), target) : target;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** A promise the peer exported (senderPromise); it learns its resolution through Resolve. */
export class PromiseImportHook extends ImportHook {
  private readonly promised = new Resolution();

  override get isPromise(): boolean {
    return this.promised.target === null;
  }

  override get resolution(): Hook | null {
    return this.promised.target;
  }

  override whenResolved(): Promise<void> | null {
    return this.promised.whenSettled();
  }

  resolveTo(target: Hook | null): void {
    const hook = target ?? new NullHook();
    if (this.promised.target) {
      hook.release();
      return;
    }
    this.promised.settle(this.connection, () => ({ type: "importedCap", importedCap: this.importId }), hook);
  }

  override breakWith(error: RpcError): void {
    super.breakWith(error);
    if (!this.promised.target) this.resolveTo(new BrokenHook(error));
  }

  override call(call: OutCall): CallHandle {
    const resolved = this.promised.target;
    if (resolved) return resolved.call(call);
    this.promised.callsSent = true;
    return super.call(call);
  }

  protected override destroy(): void {
    super.destroy();
    this.promised.target?.release();
  }
}
