export declare const _capnpFileId = 16319841222826787496n;
export declare const EventOutcome: {
  readonly UNKNOWN: 0;
  readonly OK: 1;
  readonly EXCEPTION: 2;
  readonly EXCEEDED_CPU: 3;
  readonly KILL_SWITCH: 4;
  readonly DAEMON_DOWN: 5;
  readonly SCRIPT_NOT_FOUND: 6;
  readonly CANCELED: 7;
  readonly EXCEEDED_MEMORY: 8;
  readonly LOAD_SHED: 9;
  readonly RESPONSE_STREAM_DISCONNECTED: 10;
  readonly INTERNAL_ERROR: 11;
  readonly EXCEEDED_WALL_TIME: 12;
  readonly ABORTED: 13;
};
export type EventOutcome = (typeof EventOutcome)[keyof typeof EventOutcome];
