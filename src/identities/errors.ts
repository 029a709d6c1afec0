// One error class for every bad setting the generators can meet. `code` is stable kebab-case so
// the CLI and API can map it; `setting` names the option the user has to fix.
export class IdentityError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly setting?: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}
