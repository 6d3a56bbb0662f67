// Named errors of the storage engine. Messages follow bbolt's wording so users recognise them;
// file-level errors name the file (and the offset where one is known).

export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class KeyRequiredError extends BackendError { constructor() { super("key required"); } }
export class KeyTooLargeError extends BackendError { constructor() { super("key too large"); } }
export class ValueTooLargeError extends BackendError { constructor() { super("value too large"); } }
export class BucketExistsError extends BackendError { constructor() { super("bucket already exists"); } }
export class BucketNotFoundError extends BackendError { constructor() { super("bucket not found"); } }
export class BucketNameRequiredError extends BackendError { constructor() { super("bucket name required"); } }
export class IncompatibleValueError extends BackendError { constructor() { super("incompatible value"); } }
export class TxNotWritableError extends BackendError { constructor() { super("tx not writable"); } }
export class TxClosedError extends BackendError { constructor() { super("tx closed"); } }
export class DatabaseNotOpenError extends BackendError { constructor() { super("database not open"); } }

/** The file is not a usable bbolt file: not bbolt at all, wrong version, both metas corrupt, truncated. */
export class InvalidFileError extends BackendError {
  constructor(readonly path: string, readonly reason: string, readonly offset?: number) {
    super(`${path}: ${reason}${offset === undefined ? "" : ` (at offset ${offset})`}`);
  }
}
